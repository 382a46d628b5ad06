package dev.couponhub.notification.store;

/** What this service needs to know about a store. */
public record StoreInfo(long id, String name, boolean deleted) {
}
