package dev.couponhub.gateway.auth;

/**
 * Outcome of checking one access token.
 */
sealed interface TokenVerification {

    /** The token is genuine and current. */
    record Valid(CallerIdentity identity) implements TokenVerification {
    }

    /**
     * The token must not be accepted.
     *
     * @param expired whether the only problem is its age (the client should refresh)
     * @param reason for debug logs only, never for the client
     */
    record Invalid(boolean expired, String reason) implements TokenVerification {
    }

    /** The token is genuine and current, but its session has ended (logout, password change, account closed). */
    record Revoked() implements TokenVerification {
    }

    /** No signing key is known and the key set cannot be fetched: the token cannot be judged now. */
    record KeysUnavailable() implements TokenVerification {
    }
}
