package dev.couponhub.batch.web;

import java.util.Locale;
import java.util.Set;

/**
 * Who calls, as the gateway states it after verifying the access token ({@code X-User-Id}, {@code X-User-Role}).
 * A controller parameter of this type answers 401 when either header is missing or not valid.
 */
public record Caller(long userId, String role) {

    public static final String USER_ID_HEADER = "X-User-Id";
    public static final String USER_ROLE_HEADER = "X-User-Role";
    private static final Set<String> ROLES = Set.of("SHOPPER", "OWNER", "ADMIN");

    /** The caller named by the two headers; 401 {@code UNAUTHORIZED} when they do not name one. */
    public static Caller of(String userIdHeader, String roleHeader) {
        long userId;
        try {
            userId = userIdHeader == null ? 0 : Long.parseLong(userIdHeader.strip());
        } catch (NumberFormatException e) {
            userId = 0;
        }
        String role = roleHeader == null ? "" : roleHeader.strip().toUpperCase(Locale.ROOT);
        if (userId <= 0 || !ROLES.contains(role)) {
            throw new ApiException(ProblemCode.UNAUTHORIZED, "Sign in to use this endpoint.");
        }
        return new Caller(userId, role);
    }

    public boolean isAdmin() {
        return "ADMIN".equals(role);
    }

    /** 403 {@code FORBIDDEN} unless the caller is an ADMIN. */
    public Caller requireAdmin() {
        if (!isAdmin()) {
            throw new ApiException(ProblemCode.FORBIDDEN, "Only an ADMIN account may use this endpoint.");
        }
        return this;
    }
}
