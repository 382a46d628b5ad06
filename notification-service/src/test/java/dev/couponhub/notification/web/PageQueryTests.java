package dev.couponhub.notification.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.FieldViolation;
import dev.couponhub.kit.problem.StandardProblem;
import org.junit.jupiter.api.Test;

class PageQueryTests {

    @Test
    void noValuesThenFirstPageOfTwenty() {
        assertThat(PageQuery.of(null, null)).isEqualTo(new PageQuery(0, 20));
        assertThat(PageQuery.of(3, 100).offset()).isEqualTo(300);
    }

    @Test
    void sizeOutOfRangeOrNegativePageThenValidationFailedNamingTheFields() {
        for (int size : new int[] {0, 101, -1}) {
            assertThatThrownBy(() -> PageQuery.of(0, size)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.code()).isEqualTo(StandardProblem.VALIDATION_FAILED);
                assertThat(e.errors()).extracting(FieldViolation::field).isEqualTo(List.of("size"));
            });
        }
        assertThatThrownBy(() -> PageQuery.of(-1, 200)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.errors()).extracting(FieldViolation::field).containsExactly("page", "size"));
    }

    @Test
    void pageResponseCountsPages() {
        PageResponse<String> page = PageResponse.of(List.of("a"), new PageQuery(1, 20), 41);
        assertThat(page.totalPages()).isEqualTo(3);
        assertThat(PageResponse.of(List.of(), new PageQuery(0, 20), 0).totalPages()).isZero();
    }
}
