package dev.couponhub.notification.subscription;

import java.time.Instant;

/** A shopper follows a store: alerts for its new coupons. */
record Subscription(long id, long userId, long storeId, String storeName, Instant createdAt) {

    Subscription withStoreName(String name) {
        return new Subscription(id, userId, storeId, name, createdAt);
    }
}
