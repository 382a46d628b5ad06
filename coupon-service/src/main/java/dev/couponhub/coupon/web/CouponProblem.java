package dev.couponhub.coupon.web;

import dev.couponhub.kit.problem.ProblemCode;
import dev.couponhub.kit.problem.StandardProblem;
import org.springframework.http.HttpStatus;

/**
 * The error codes of docs/api.md that only coupon-service answers with; the shared ones ({@code VALIDATION_FAILED},
 * {@code UNAUTHORIZED}, ...) are the kit's {@code StandardProblem}.
 */
public enum CouponProblem implements ProblemCode {
    NOT_STORE_OWNER(HttpStatus.FORBIDDEN),
    STORE_NOT_FOUND(HttpStatus.NOT_FOUND),
    COUPON_NOT_FOUND(HttpStatus.NOT_FOUND),
    ISSUED_COUPON_NOT_FOUND(HttpStatus.NOT_FOUND),
    SOLD_OUT(HttpStatus.CONFLICT),
    CLAIM_LIMIT_REACHED(HttpStatus.CONFLICT),
    DAILY_LIMIT_REACHED(HttpStatus.CONFLICT),
    CLAIM_WINDOW_CLOSED(HttpStatus.UNPROCESSABLE_ENTITY),
    ALREADY_REDEEMED(HttpStatus.CONFLICT),
    NOT_REDEEMED(HttpStatus.CONFLICT),
    ORDER_MISMATCH(HttpStatus.CONFLICT),
    NOT_REDEEMER(HttpStatus.FORBIDDEN),
    COUPON_EXPIRED(HttpStatus.UNPROCESSABLE_ENTITY),
    MIN_ORDER_NOT_MET(HttpStatus.UNPROCESSABLE_ENTITY),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_ENTITY),
    QUANTITY_BELOW_ISSUED(HttpStatus.CONFLICT),
    CONCURRENT_MODIFICATION(HttpStatus.CONFLICT);

    private final HttpStatus status;

    CouponProblem(HttpStatus status) {
        this.status = status;
    }

    @Override
    public HttpStatus status() {
        return status;
    }

    /** The code of this service or of the kit's standard ones with that name, e.g. for a remembered answer. */
    public static ProblemCode named(String code) {
        for (StandardProblem standard : StandardProblem.values()) {
            if (standard.name().equals(code)) {
                return standard;
            }
        }
        return valueOf(code);
    }
}
