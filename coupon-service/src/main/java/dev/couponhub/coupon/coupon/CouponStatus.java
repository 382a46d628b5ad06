package dev.couponhub.coupon.coupon;

/** A coupon's status, derived from the clock, its stock and whether it was ended. */
public enum CouponStatus {
    SCHEDULED, ACTIVE, SOLD_OUT, ENDED
}
