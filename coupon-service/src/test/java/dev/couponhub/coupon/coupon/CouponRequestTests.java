package dev.couponhub.coupon.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.couponhub.kit.problem.FieldViolation;
import org.junit.jupiter.api.Test;

/** The rules of a coupon request that span several fields. */
class CouponRequestTests {

    static final Instant NOW = Instant.parse("2026-11-21T09:00:00Z");
    static final Instant START = NOW.minus(Duration.ofHours(1));
    static final Instant END = NOW.plus(Duration.ofDays(1));

    static CouponRequest request(DiscountType type, long value, Long cap, Instant start, Instant end, Instant until,
                                 Integer days) {
        return new CouponRequest(1L, "n", null, type, value, null, cap, 10L, null, null, start, end, until,
                days);
    }

    static List<String> fields(CouponRequest request) {
        return request.violations(NOW).stream().map(FieldViolation::field).toList();
    }

    @Test
    void validRequestHasNoViolationsAndDefaults() {
        CouponRequest request = request(DiscountType.PERCENT, 100, 5_000L, START, END, END, null);
        assertThat(fields(request)).isEmpty();
        CouponTerms terms = request.terms();
        assertThat(terms.minOrderAmount()).isZero();
        assertThat(terms.perUserLimit()).isEqualTo(1);
    }

    @Test
    void percentAboveHundredIsRefused() {
        assertThat(fields(request(DiscountType.PERCENT, 101, null, START, END, null, 7))).containsExactly("discountValue");
        assertThat(fields(request(DiscountType.FIXED, 101, null, START, END, null, 7))).isEmpty();
    }

    @Test
    void capOnlyForPercent() {
        assertThat(fields(request(DiscountType.FIXED, 500, 100L, START, END, null, 7)))
                .containsExactly("maxDiscountAmount");
    }

    @Test
    void windowMustBeOrderedAndInTheFuture() {
        assertThat(fields(request(DiscountType.FIXED, 500, null, END, END, null, 7))).containsExactly("issueEndsAt");
        assertThat(fields(request(DiscountType.FIXED, 500, null, START.minusSeconds(60), START, null, 7)))
                .containsExactly("issueEndsAt");
    }

    @Test
    void validityRequiredAndNotBeforeIssueEnd() {
        assertThat(fields(request(DiscountType.FIXED, 500, null, START, END, null, null))).containsExactly("validUntil");
        assertThat(fields(request(DiscountType.FIXED, 500, null, START, END, END.minusSeconds(1), null)))
                .containsExactly("validUntil");
        assertThat(fields(request(DiscountType.FIXED, 500, null, START, END, END, 3))).isEmpty();
    }
}
