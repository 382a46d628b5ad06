package dev.couponhub.store.events;

import dev.couponhub.kit.outbox.OutboxEvent;

/** {@code STORE_DELETED}: a store was deleted; its coupons end. */
public record StoreDeleted(long storeId, long ownerId) implements OutboxEvent {

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
