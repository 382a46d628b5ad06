package dev.couponhub.coupon.coupon;

/** How a coupon's {@code discountValue} is read: won off, or percent off. */
public enum DiscountType {
    FIXED, PERCENT
}
