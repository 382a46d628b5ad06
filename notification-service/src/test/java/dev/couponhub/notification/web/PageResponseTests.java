package dev.couponhub.notification.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.couponhub.kit.web.PageQuery;
import org.junit.jupiter.api.Test;

class PageResponseTests {

    @Test
    void pageResponseCountsPages() {
        PageResponse<String> page = PageResponse.of(List.of("a"), new PageQuery(1, 20), 41);
        assertThat(page.totalPages()).isEqualTo(3);
        assertThat(PageResponse.of(List.of(), new PageQuery(0, 20), 0).totalPages()).isZero();
    }
}
