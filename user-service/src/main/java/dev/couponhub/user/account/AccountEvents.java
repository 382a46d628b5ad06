package dev.couponhub.user.account;

import java.time.Instant;

/** Published inside the transaction that changes an account; listeners run in that same transaction. */
public final class AccountEvents {

    private AccountEvents() {
    }

    /** The password changed: every session (refresh token) of the account must end. */
    public record PasswordChanged(long accountId, Instant at) {
    }

    /** The account was closed: every session (refresh token) of the account must end. */
    public record AccountClosed(long accountId, Instant at) {
    }
}
