package dev.couponhub.coupon.store;

/** A store as store-service answered it. */
public record StoreInfo(long id, long ownerId, String name, String category, boolean deleted) {
}
