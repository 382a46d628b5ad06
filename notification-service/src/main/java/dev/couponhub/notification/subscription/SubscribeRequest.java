package dev.couponhub.notification.subscription;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** {@code {storeId}}. */
record SubscribeRequest(@NotNull @Positive Long storeId) {
}
