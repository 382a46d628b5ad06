package dev.couponhub.coupon.redemption;

import java.time.Instant;

import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.coupon.issued.RedemptionChannel;

/** {@code Redemption} of docs/api.md. */
record RedemptionResponse(long issuedCouponId, String orderId, long orderAmount, long discountAmount,
                          long finalAmount, Instant redeemedAt, RedemptionChannel channel) {

    static RedemptionResponse of(IssuedCoupon issued) {
        long orderAmount = issued.orderAmount();
        long discount = issued.discountAmount();
        return new RedemptionResponse(issued.id(), issued.orderId(), orderAmount, discount, orderAmount - discount,
                issued.redeemedAt(), issued.redemptionChannel());
    }
}
