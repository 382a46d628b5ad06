package dev.couponhub.kit.caller;

/**
 * The caller's role, as the gateway states it in {@code X-User-Role}. {@code PARTNER} is a store's server calling
 * with one of the store's API keys: no user, acting for that store only ({@link Caller#storeId()}).
 */
public enum Role {
    SHOPPER, OWNER, ADMIN, PARTNER
}
