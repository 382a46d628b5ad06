package dev.couponhub.coupon.coupon;

/** Orders of {@code GET /api/v1/coupons}. */
public enum CouponSort {
    /** newest first */
    newest,
    /** claimable coupons (ACTIVE, then SCHEDULED) first, the ones whose issue window closes soonest first */
    endingSoon,
    /** most issued first */
    popular
}
