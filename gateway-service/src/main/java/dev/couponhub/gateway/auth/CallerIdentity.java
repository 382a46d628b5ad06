package dev.couponhub.gateway.auth;

import java.util.Set;

/**
 * Who sent the request, taken from a verified access token.
 *
 * @param userId the token's {@code sub}
 * @param role the token's {@code role} claim: SHOPPER, OWNER or ADMIN
 * @param sessionId the token's {@code sid} claim: the session (refresh-token family) the token belongs to
 */
public record CallerIdentity(long userId, String role, String sessionId) {

    /** Exchange attribute under which an authenticated request carries its identity. */
    public static final String ATTRIBUTE = CallerIdentity.class.getName();

    static final Set<String> ROLES = Set.of("SHOPPER", "OWNER", "ADMIN");

    public CallerIdentity {
        if (userId <= 0) {
            throw new IllegalArgumentException("user id must be positive");
        }
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown role");
        }
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("session id required");
        }
    }
}
