package dev.couponhub.notification.web;

import dev.couponhub.kit.problem.ProblemCode;
import org.springframework.http.HttpStatus;

/**
 * The error codes of docs/api.md that only notification-service answers with; the shared ones ({@code VALIDATION_FAILED},
 * {@code UNAUTHORIZED}, ...) are the kit's {@code StandardProblem}.
 */
public enum NotificationProblem implements ProblemCode {
    STORE_NOT_FOUND(HttpStatus.NOT_FOUND),
    COUPON_NOT_FOUND(HttpStatus.NOT_FOUND);

    private final HttpStatus status;

    NotificationProblem(HttpStatus status) {
        this.status = status;
    }

    @Override
    public HttpStatus status() {
        return status;
    }
}
