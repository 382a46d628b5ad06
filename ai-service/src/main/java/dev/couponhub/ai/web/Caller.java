package dev.couponhub.ai.web;

/**
 * The signed-in caller, as identified by the gateway in the {@code X-User-Id} and {@code X-User-Role} headers after
 * it verified the access token. A controller parameter of this type makes the endpoint answer 401
 * {@code UNAUTHORIZED} when either header is missing or invalid; with {@link RequireRole} it also answers 403
 * {@code FORBIDDEN} to other roles. Both checks run before the request body is validated.
 */
public record Caller(long userId, Role role) {
}
