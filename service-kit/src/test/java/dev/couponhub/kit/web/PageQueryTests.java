package dev.couponhub.kit.web;

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
    void pageReachingPastTenThousandItemsThenValidationFailedOnPage() {
        assertThat(PageQuery.of(99, 100)).isEqualTo(new PageQuery(99, 100));
        assertThat(PageQuery.of(499, 20).offset()).isEqualTo(9_980);
        for (int[] pageAndSize : new int[][] {{100, 100}, {500, 20}, {10_000, 1}, {Integer.MAX_VALUE, 100}}) {
            assertThatThrownBy(() -> PageQuery.of(pageAndSize[0], pageAndSize[1]))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(StandardProblem.VALIDATION_FAILED);
                        assertThat(e.errors()).extracting(FieldViolation::field).containsExactly("page");
                    });
        }
    }
}
