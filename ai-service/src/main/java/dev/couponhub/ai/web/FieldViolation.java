package dev.couponhub.ai.web;

/** One rejected request field or query parameter, as listed in a VALIDATION_FAILED answer's {@code errors}. */
public record FieldViolation(String field, String message) {
}
