package dev.couponhub.user.web;

import dev.couponhub.kit.problem.ProblemCode;
import org.springframework.http.HttpStatus;

/**
 * The error codes of docs/api.md that only user-service answers with; the shared ones ({@code VALIDATION_FAILED},
 * {@code UNAUTHORIZED}, ...) are the kit's {@code StandardProblem}.
 */
public enum UserProblem implements ProblemCode {
    WRONG_PASSWORD(HttpStatus.BAD_REQUEST),
    BAD_CREDENTIALS(HttpStatus.UNAUTHORIZED),
    INVALID_REFRESH_TOKEN(HttpStatus.UNAUTHORIZED),
    /** Too many failed logins for the email; answered with {@code Retry-After}. */
    LOGIN_THROTTLED(HttpStatus.TOO_MANY_REQUESTS),
    EMAIL_TAKEN(HttpStatus.CONFLICT);

    private final HttpStatus status;

    UserProblem(HttpStatus status) {
        this.status = status;
    }

    @Override
    public HttpStatus status() {
        return status;
    }
}
