package dev.couponhub.coupon.claim;

import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.kit.problem.ApiException;

/** Why a claim gets no unit, with the answer docs/api.md gives for it. */
enum Refusal {
    WINDOW_CLOSED(CouponProblem.CLAIM_WINDOW_CLOSED, "This coupon cannot be claimed now."),
    SOLD_OUT(CouponProblem.SOLD_OUT, "Every unit of this coupon is claimed."),
    LIMIT_REACHED(CouponProblem.CLAIM_LIMIT_REACHED,
            "You already hold as many units of this coupon as one shopper may claim."),
    DAILY_LIMIT_REACHED(CouponProblem.DAILY_LIMIT_REACHED,
            "You already claimed this coupon as many times today as one shopper may in a day. Try again tomorrow.");

    private final CouponProblem code;
    private final String detail;

    Refusal(CouponProblem code, String detail) {
        this.code = code;
        this.detail = detail;
    }

    ApiException answer() {
        return new ApiException(code, detail);
    }
}
