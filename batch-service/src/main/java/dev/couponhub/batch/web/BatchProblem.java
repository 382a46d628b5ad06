package dev.couponhub.batch.web;

import dev.couponhub.kit.problem.ProblemCode;
import org.springframework.http.HttpStatus;

/**
 * The error codes of docs/api.md that only batch-service answers with; the shared ones ({@code VALIDATION_FAILED},
 * {@code UNAUTHORIZED}, ...) are the kit's {@code StandardProblem}.
 */
public enum BatchProblem implements ProblemCode {
    NOT_STORE_OWNER(HttpStatus.FORBIDDEN),
    STORE_NOT_FOUND(HttpStatus.NOT_FOUND),
    JOB_NOT_FOUND(HttpStatus.NOT_FOUND),
    RUN_NOT_FOUND(HttpStatus.NOT_FOUND);

    private final HttpStatus status;

    BatchProblem(HttpStatus status) {
        this.status = status;
    }

    @Override
    public HttpStatus status() {
        return status;
    }
}
