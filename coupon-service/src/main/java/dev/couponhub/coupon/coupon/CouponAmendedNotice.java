package dev.couponhub.coupon.coupon;

import java.time.Instant;

/**
 * Published in the transaction that changed a coupon's stock or claim window; listeners act after it commits (the
 * claim gate takes the new stock and end).
 */
public record CouponAmendedNotice(long couponId, long totalQuantity, Instant issueEndsAt) {
}
