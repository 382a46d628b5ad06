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
 */
public record Caller(long userId, Role role) {

    public static final String USER_ID_HEADER = "X-User-Id";
    public static final String USER_ROLE_HEADER = "X-User-Role";

    /** The caller the two headers name; 401 {@code UNAUTHORIZED} when they name none. */
    public static Caller fromHeaders(@Nullable String userIdHeader, @Nullable String roleHeader) {
        return new Caller(parseUserId(userIdHeader), parseRole(roleHeader));
    }

    public boolean is(Role role) {
        return this.role == role;
    }

    public boolean isAdmin() {
        return is(Role.ADMIN);
    }

    /** 403 {@code FORBIDDEN} unless the caller has the role. */
    public Caller require(Role required) {
        if (role != required) {
            throw new ApiException(StandardProblem.FORBIDDEN,
                    "Only a" + (required == Role.ADMIN || required == Role.OWNER ? "n " : " ") + required
                            + " account may use this endpoint.");
        }
        return this;
    }

    /** The caller for a controller parameter: the headers' caller, checked against the parameter's {@link RequireRole}. */
    static Caller forParameter(MethodParameter parameter, @Nullable String userIdHeader, @Nullable String roleHeader) {
        Caller caller = fromHeaders(userIdHeader, roleHeader);
        RequireRole required = parameter.getParameterAnnotation(RequireRole.class);
        return required == null ? caller : caller.require(required.value());
    }

    private static long parseUserId(@Nullable String header) {
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
