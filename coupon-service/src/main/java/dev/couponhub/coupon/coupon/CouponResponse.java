package dev.couponhub.coupon.coupon;

import java.time.Instant;

/** {@code Coupon} of docs/api.md; {@code status}, {@code issuedQuantity} and {@code remainingQuantity} as of now. */
public record CouponResponse(long id, long storeId, String storeName, String name, String description,
                             DiscountType discountType, long discountValue, long minOrderAmount,
                             Long maxDiscountAmount, long totalQuantity, long issuedQuantity,
                             long remainingQuantity, int perUserLimit, Integer perUserDailyLimit,
                             Instant issueStartsAt, Instant issueEndsAt,
                             Instant validUntil, Integer validDaysAfterIssue, CouponStatus status,
                             Instant createdAt) {

    public static CouponResponse of(Coupon coupon, Instant now) {
        Discount discount = coupon.discount();
        return new CouponResponse(coupon.id(), coupon.storeId(), coupon.store().name(), coupon.name(),
                coupon.description(), discount.type(), discount.value(), discount.minOrderAmount(),
                discount.maxDiscountAmount(), coupon.totalQuantity(), coupon.issuedQuantity(),
                coupon.remainingQuantity(), coupon.perUserLimit(), coupon.perUserDailyLimit(), coupon.issueStartsAt(), coupon.issueEndsAt(),
                coupon.validUntil(), coupon.validDaysAfterIssue(), coupon.statusAt(now), coupon.createdAt());
    }
}
