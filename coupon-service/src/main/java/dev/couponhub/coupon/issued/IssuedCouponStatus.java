package dev.couponhub.coupon.issued;

/** The state of an issued coupon. */
public enum IssuedCouponStatus {
    ISSUED, REDEEMED, EXPIRED
}
