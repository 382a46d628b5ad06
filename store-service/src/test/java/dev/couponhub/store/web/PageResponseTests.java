package dev.couponhub.store.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PageResponseTests {

    @Test
    void ofThenTotalPagesRoundedUp() {
        assertThat(PageResponse.of(List.of(1, 2), 0, 2, 5).totalPages()).isEqualTo(3);
        assertThat(PageResponse.of(List.of(1, 2), 0, 2, 4).totalPages()).isEqualTo(2);
        assertThat(PageResponse.of(List.of(1), 0, 20, 1).totalPages()).isEqualTo(1);
    }

    @Test
    void ofWhenNothingThenZeroPages() {
        PageResponse<Integer> page = PageResponse.of(List.of(), 3, 20, 0);

        assertThat(page.totalPages()).isZero();
        assertThat(page.page()).isEqualTo(3);
        assertThat(page.content()).isEmpty();
    }

    @Test
    void mapThenSamePageOfMappedItems() {
        PageResponse<String> page = PageResponse.of(List.of(1, 2), 1, 2, 6).map(i -> "#" + i);

        assertThat(page).isEqualTo(new PageResponse<>(List.of("#1", "#2"), 1, 2, 6, 3));
    }
}
