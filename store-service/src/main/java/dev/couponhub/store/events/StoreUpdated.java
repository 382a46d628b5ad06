package dev.couponhub.store.events;

import dev.couponhub.kit.outbox.OutboxEvent;

/**
 * {@code STORE_UPDATED}: a store was created or its details changed. {@code version} is the store's version (its JPA
 * {@code @Version}: 0 when created, one more with every change): events can arrive out of order, and a consumer keeps
 * the details of the highest version it has seen.
 */
public record StoreUpdated(long storeId, long ownerId, String name, String category, long version) implements OutboxEvent {

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
