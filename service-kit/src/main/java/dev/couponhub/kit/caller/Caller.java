package dev.couponhub.kit.caller;

import java.util.Locale;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import org.springframework.core.MethodParameter;
import org.springframework.lang.Nullable;

/**
 * The signed-in caller, as the gateway identified it in {@code X-User-Id} and {@code X-User-Role} after verifying the
 * access token (services are reachable only from the gateway, which strips these headers from clients). A controller
 * parameter of this type makes its endpoint answer 401 {@code UNAUTHORIZED} when either header is missing or invalid;
 * with {@link RequireRole} it also answers 403 {@code FORBIDDEN} to other roles. Both checks run before the request
 * body is validated.
 *
 * <p>A store's server calling with one of the store's API keys is a {@code PARTNER}: {@code X-User-Role: PARTNER},
 * {@code X-User-Store-Id} and {@code X-User-Key-Id}, and no user ({@link #userId()} is 0, so it is nobody's owner). A
 * partner is refused (403) on every parameter whose {@link RequireRole} does not name {@code PARTNER}.
 *
 * @param userId  the user, or 0 for a partner
 * @param storeId the store a partner acts for; null for users
 * @param keyId   the partner's API key; null for users
 */
public record Caller(long userId, Role role, Long storeId, Long keyId) {

    public static final String USER_ID_HEADER = "X-User-Id";
    public static final String USER_ROLE_HEADER = "X-User-Role";
    public static final String STORE_ID_HEADER = "X-User-Store-Id";
    public static final String KEY_ID_HEADER = "X-User-Key-Id";

    public Caller {
        if (role == Role.PARTNER) {
            if (userId != 0 || storeId == null || storeId <= 0 || keyId == null || keyId <= 0) {
                throw new IllegalArgumentException("a partner has no user, and a store and a key");
            }
        } else if (userId <= 0 || storeId != null || keyId != null) {
            throw new IllegalArgumentException("a user caller has a positive id and no store or key");
        }
    }

    /** A signed-in user. */
    public Caller(long userId, Role role) {
        this(userId, role, null, null);
    }

    /** A store's server with one of the store's API keys. */
    public static Caller partner(long storeId, long keyId) {
        return new Caller(0, Role.PARTNER, storeId, keyId);
    }

    /** The caller the two headers name; 401 {@code UNAUTHORIZED} when they name none. */
    public static Caller fromHeaders(@Nullable String userIdHeader, @Nullable String roleHeader) {
        return fromHeaders(userIdHeader, roleHeader, null, null);
    }

    /** The caller the headers name, a partner's store and key included; 401 {@code UNAUTHORIZED} if none. */
    public static Caller fromHeaders(@Nullable String userIdHeader, @Nullable String roleHeader,
                                     @Nullable String storeIdHeader, @Nullable String keyIdHeader) {
        Role role = parseRole(roleHeader);
        if (role == Role.PARTNER) {
            return partner(parseId(storeIdHeader), parseId(keyIdHeader));
        }
        return new Caller(parseId(userIdHeader), role);
    }

    public boolean is(Role role) {
        return this.role == role;
    }

    public boolean isAdmin() {
        return is(Role.ADMIN);
    }

    /**
     * Whether the caller acts for the store: its owner (an OWNER whose id is the store's owner's), or a partner with
     * one of the store's keys.
     */
    public boolean actsFor(long storeId, long storeOwnerId) {
        return role == Role.OWNER && userId == storeOwnerId
                || role == Role.PARTNER && this.storeId == storeId;
    }

    /** 403 {@code FORBIDDEN} unless the caller has the role. */
    public Caller require(Role required) {
        return require(new Role[] {required});
    }

    /** 403 {@code FORBIDDEN} unless the caller has one of the roles. */
    public Caller require(Role... allowed) {
        for (Role role : allowed) {
            if (this.role == role) {
                return this;
            }
        }
        if (role == Role.PARTNER) {
            throw new ApiException(StandardProblem.FORBIDDEN, "An API key may not use this endpoint.");
        }
        Role required = allowed[0];
        throw new ApiException(StandardProblem.FORBIDDEN,
                "Only a" + (required == Role.ADMIN || required == Role.OWNER ? "n " : " ") + required
                        + " account may use this endpoint.");
    }

    /**
     * The caller for a controller parameter: the headers' caller, checked against the parameter's {@link RequireRole};
     * a partner is refused unless the annotation names {@code PARTNER}.
     */
    static Caller forParameter(MethodParameter parameter, @Nullable String userIdHeader, @Nullable String roleHeader,
                               @Nullable String storeIdHeader, @Nullable String keyIdHeader) {
        Caller caller = fromHeaders(userIdHeader, roleHeader, storeIdHeader, keyIdHeader);
        RequireRole required = parameter.getParameterAnnotation(RequireRole.class);
        if (required != null) {
            return caller.require(required.value());
        }
        if (caller.role == Role.PARTNER) {
            throw new ApiException(StandardProblem.FORBIDDEN, "An API key may not use this endpoint.");
        }
        return caller;
    }

    private static long parseId(@Nullable String header) {
        if (header != null) {
            try {
                long id = Long.parseLong(header.strip());
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
        }
        throw unauthorized();
    }

    private static Role parseRole(@Nullable String header) {
        if (header != null) {
            try {
                return Role.valueOf(header.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // answered below
            }
        }
        throw unauthorized();
    }

    private static ApiException unauthorized() {
        return new ApiException(StandardProblem.UNAUTHORIZED, "Sign in to use this endpoint.");
    }
}
