package dev.couponhub.user.account;

/** What an account may do. Sign-up chooses SHOPPER or OWNER; ADMIN is only created from configuration. */
public enum Role {
    SHOPPER,
    OWNER,
    ADMIN
}
