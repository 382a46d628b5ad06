package dev.couponhub.store.events;

import dev.couponhub.kit.outbox.OutboxEvent;

/**
 * {@code STORE_DELETED}: a store was deleted; its coupons end. {@code version} is the store's version (its JPA
 * {@code @Version}) after the deletion, so that a consumer knows every update of the store is older.
 */
public record StoreDeleted(long storeId, long ownerId, long version) implements OutboxEvent {

    public static final String TYPE = "STORE_DELETED";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public long aggregateId() {
        return storeId;
    }
}
