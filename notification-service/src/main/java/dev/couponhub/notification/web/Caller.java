package dev.couponhub.notification.web;

/**
 * Who is calling, as the gateway established it ({@code X-User-Id}, {@code X-User-Role}). A controller parameter of
 * this type makes its endpoint require a signed-in caller: without the headers it answers 401 {@code UNAUTHORIZED}.
 */
public record Caller(long userId, String role) {
}
