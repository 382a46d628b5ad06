package dev.couponhub.store.events;

import dev.couponhub.kit.outbox.OutboxEvent;

/** {@code STORE_UPDATED}: a store was created or its details changed. */
public record StoreUpdated(long storeId, long ownerId, String name, String category) implements OutboxEvent {

    public static final String TYPE = "STORE_UPDATED";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public long aggregateId() {
        return storeId;
    }
}
