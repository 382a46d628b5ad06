package dev.couponhub.coupon.claim;

import dev.couponhub.kit.problem.ApiException;

/** MySQL refused to count an issue (the coupon was ended, or is full): nothing was written for it. */
final class NotIssuable extends RuntimeException {

    private final ApiException reason;

    NotIssuable(ApiException reason) {
        super(reason.detail(), null, false, false);
        this.reason = reason;
    }

    ApiException reason() {
        return reason;
    }
}
