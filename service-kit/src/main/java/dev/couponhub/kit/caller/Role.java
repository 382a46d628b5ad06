package dev.couponhub.kit.caller;

/** The caller's role, as the gateway states it in {@code X-User-Role}. */
public enum Role {
    SHOPPER, OWNER, ADMIN
}
