package dev.couponhub.user.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;

/** The stable error codes this service answers with (see API.md), each with its HTTP status and title. */
public enum ProblemCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed"),
    WRONG_PASSWORD(HttpStatus.BAD_REQUEST, "Wrong password"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
    BAD_CREDENTIALS(HttpStatus.UNAUTHORIZED, "Bad credentials"),
    INVALID_REFRESH_TOKEN(HttpStatus.UNAUTHORIZED, "Invalid refresh token"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    EMAIL_TAKEN(HttpStatus.CONFLICT, "Email taken"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
    DEPENDENCY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Dependency unavailable");

    private static final String TYPE_BASE = "https://couponhub.dev/problems/";

    private final HttpStatus status;
    private final String title;

    ProblemCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI type() {
        return typeOf(name());
    }

    /** {@code EMAIL_TAKEN} gives {@code https://couponhub.dev/problems/email-taken}. */
    static URI typeOf(String code) {
        return URI.create(TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}
