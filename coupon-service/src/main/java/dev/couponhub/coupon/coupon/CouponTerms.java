package dev.couponhub.coupon.coupon;

import java.time.Instant;

/** The terms a coupon is published with, already checked. */
public record CouponTerms(String name, String description, DiscountType discountType, long discountValue,
                          long minOrderAmount, Long maxDiscountAmount, long totalQuantity, int perUserLimit,
                          Integer perUserDailyLimit, Instant issueStartsAt, Instant issueEndsAt, Instant validUntil,
                          Integer validDaysAfterIssue) {

    /** Terms without a daily limit. */
    public CouponTerms(String name, String description, DiscountType discountType, long discountValue,
                       long minOrderAmount, Long maxDiscountAmount, long totalQuantity, int perUserLimit,
                       Instant issueStartsAt, Instant issueEndsAt, Instant validUntil, Integer validDaysAfterIssue) {
        this(name, description, discountType, discountValue, minOrderAmount, maxDiscountAmount, totalQuantity,
                perUserLimit, null, issueStartsAt, issueEndsAt, validUntil, validDaysAfterIssue);
    }

    public Discount discount() {
        return new Discount(discountType, discountValue, minOrderAmount, maxDiscountAmount);
    }
}
