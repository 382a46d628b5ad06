package dev.couponhub.notification.web;

import org.springframework.http.HttpStatus;

/** The stable error codes this service answers with (see API.md), each with its HTTP status. */
public enum ProblemCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    STORE_NOT_FOUND(HttpStatus.NOT_FOUND),
    DEPENDENCY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE);

    private final HttpStatus status;

    ProblemCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
