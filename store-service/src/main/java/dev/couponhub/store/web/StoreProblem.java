package dev.couponhub.store.web;

import dev.couponhub.kit.problem.ProblemCode;
import org.springframework.http.HttpStatus;

/**
 * The error codes of docs/api.md that only store-service answers with; the shared ones ({@code VALIDATION_FAILED},
 * {@code UNAUTHORIZED}, ...) are the kit's {@code StandardProblem}.
 */
public enum StoreProblem implements ProblemCode {
    NOT_STORE_OWNER(HttpStatus.FORBIDDEN),
    STORE_NOT_FOUND(HttpStatus.NOT_FOUND),
    API_KEY_NOT_FOUND(HttpStatus.NOT_FOUND),
    API_KEY_LIMIT_REACHED(HttpStatus.CONFLICT),
    CONCURRENT_MODIFICATION(HttpStatus.CONFLICT);

    private final HttpStatus status;

    StoreProblem(HttpStatus status) {
        this.status = status;
    }

    @Override
    public HttpStatus status() {
        return status;
    }
}
