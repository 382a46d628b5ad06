package dev.couponhub.notification.subscription;

import java.time.Instant;

/** {@code {storeId, storeName, createdAt}}. */
record SubscriptionResponse(long storeId, String storeName, Instant createdAt) {

    static SubscriptionResponse of(Subscription subscription) {
        return new SubscriptionResponse(subscription.storeId(), subscription.storeName(), subscription.createdAt());
    }
}
