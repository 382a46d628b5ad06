package dev.couponhub.coupon.coupon;

/** Published in the transaction that ends a coupon; listeners act after it commits. */
public record CouponEndedNotice(long couponId) {
}
