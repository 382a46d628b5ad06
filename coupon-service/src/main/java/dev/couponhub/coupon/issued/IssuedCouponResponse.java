package dev.couponhub.coupon.issued;

import java.time.Instant;

import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.Discount;
import dev.couponhub.coupon.coupon.DiscountType;

/** {@code IssuedCoupon} of docs/api.md, with its status as of now. */
public record IssuedCouponResponse(long id, long couponId, long userId, String code, IssuedCouponStatus status,
                                   Instant issuedAt, Instant expiresAt, Instant redeemedAt, String orderId,
                                   Long discountAmount, CouponSummary coupon) {

    /** The coupon's terms as the shopper needs them at the store. */
    public record CouponSummary(String name, long storeId, String storeName, DiscountType discountType,
                                long discountValue, long minOrderAmount, Long maxDiscountAmount) {
    }

    public static IssuedCouponResponse of(IssuedCoupon issued, Instant now) {
        Coupon coupon = issued.coupon();
        Discount discount = coupon.discount();
        return new IssuedCouponResponse(issued.id(), coupon.id(), issued.userId(), issued.code(),
                issued.statusAt(now), issued.issuedAt(), issued.expiresAt(), issued.redeemedAt(), issued.orderId(),
                issued.discountAmount(),
                new CouponSummary(coupon.name(), coupon.storeId(), coupon.store().name(), discount.type(),
                        discount.value(), discount.minOrderAmount(), discount.maxDiscountAmount()));
    }
}
