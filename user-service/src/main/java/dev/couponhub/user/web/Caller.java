package dev.couponhub.user.web;

/**
 * The signed-in caller, as identified by the gateway in the {@code X-User-Id} header after it verified the
 * access token. A controller parameter of this type makes the endpoint answer 401 {@code UNAUTHORIZED}
 * when the header is missing or not a positive number.
 */
public record Caller(long userId) {
}
