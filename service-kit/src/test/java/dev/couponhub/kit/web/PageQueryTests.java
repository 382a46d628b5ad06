package dev.couponhub.kit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Supplier;

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

    @Test
    void totalKnownFromALastPageCountedOtherwise() {
        Supplier<Long> mustNotCount = () -> {
            throw new AssertionError("counted although the page told the total");
        };
        assertThat(PageQuery.total(40, 20, 7, mustNotCount)).isEqualTo(47); // a short page is the last one
        assertThat(PageQuery.total(0, 20, 0, mustNotCount)).isZero(); // nothing at all
        assertThat(PageQuery.total(0, 20, 20, () -> 53L)).isEqualTo(53); // a full page: more may follow
        assertThat(PageQuery.total(60, 20, 0, () -> 41L)).isEqualTo(41); // past the end: counted
        assertThat(PageQuery.total(60, 20, 0, () -> null)).isZero();
    }
}
