package dev.couponhub.coupon.redemption;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Request bodies of the redemption endpoints. */
final class RedemptionRequests {

    private RedemptionRequests() {
    }

    /** {@code POST /api/v1/issued-coupons/{id}/redeem}. */
    record Redeem(@NotBlank @Size(max = 64) String orderId, @NotNull @Positive Long orderAmount) {
    }

    /** {@code POST /api/v1/issued-coupons/{id}/cancel-redemption}. */
    record Cancel(@NotBlank @Size(max = 64) String orderId) {
    }

    /** {@code POST /api/v1/redemptions}: at the counter, by code. */
    record AtCounter(@NotNull @Positive Long storeId, @NotBlank @Size(max = 32) String code,
                     @NotBlank @Size(max = 64) String orderId, @NotNull @Positive Long orderAmount) {
    }

    /** {@code POST /api/v1/redemptions/cancel}: the store's own redemption at its counter, by code. */
    record CancelAtCounter(@NotNull @Positive Long storeId, @NotBlank @Size(max = 32) String code,
                           @NotBlank @Size(max = 64) String orderId) {
    }

    /** {@code POST /api/v1/issued-coupons/{id}/preview}. */
    record Preview(@NotNull @Positive Long orderAmount) {
    }

    /** {@code POST /api/v1/redemptions/preview}: at the counter, by code. */
    record PreviewAtCounter(@NotNull @Positive Long storeId, @NotBlank @Size(max = 32) String code,
                            @NotNull @Positive Long orderAmount) {
    }
}
