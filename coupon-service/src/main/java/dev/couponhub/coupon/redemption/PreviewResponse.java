package dev.couponhub.coupon.redemption;

import java.time.Instant;

import dev.couponhub.coupon.issued.IssuedCoupon;

/**
 * What a redemption would give, changing nothing (docs/api.md). {@code reason} is null when it would succeed, or the
 * code it would fail with ({@code COUPON_EXPIRED}, {@code MIN_ORDER_NOT_MET}, {@code ALREADY_REDEEMED}); then nothing
 * is discounted and {@code finalAmount} is the order's amount.
 */
record PreviewResponse(boolean redeemable, String reason, long discountAmount, long finalAmount) {

    static PreviewResponse of(IssuedCoupon unit, long orderAmount, Instant now) {
        IssuedCoupon.Preview preview = unit.preview(orderAmount, now);
        String reason = preview.refusal() == null ? null : switch (preview.refusal()) {
            case EXPIRED -> "COUPON_EXPIRED";
            default -> preview.refusal().name();
        };
        return new PreviewResponse(reason == null, reason, preview.discountAmount(),
                orderAmount - preview.discountAmount());
    }
}
