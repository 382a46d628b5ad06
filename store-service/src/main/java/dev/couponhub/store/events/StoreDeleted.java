package dev.couponhub.store.events;

/** {@code STORE_DELETED}: a store was deleted; its coupons end. */
public record StoreDeleted(long storeId, long ownerId) implements DomainEvent {

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
