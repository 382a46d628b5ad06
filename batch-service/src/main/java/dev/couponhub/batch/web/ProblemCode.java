package dev.couponhub.batch.web;

import org.springframework.http.HttpStatus;

/** The error codes batch-service answers with (API.md), each with its HTTP status. */
public enum ProblemCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    NOT_STORE_OWNER(HttpStatus.FORBIDDEN),
    STORE_NOT_FOUND(HttpStatus.NOT_FOUND),
    JOB_NOT_FOUND(HttpStatus.NOT_FOUND),
    RUN_NOT_FOUND(HttpStatus.NOT_FOUND),
    DEPENDENCY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE);

    private final HttpStatus status;

    ProblemCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
