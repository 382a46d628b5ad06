package dev.couponhub.notification.web;

/** One invalid request field, as listed in a 400 {@code VALIDATION_FAILED} problem. */
public record FieldViolation(String field, String message) {
}
