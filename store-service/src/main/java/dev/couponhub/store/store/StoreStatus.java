package dev.couponhub.store.store;

/** A store is ACTIVE until its owner deletes it; a DELETED store is never listed or shown again. */
public enum StoreStatus {
    ACTIVE, DELETED
}
