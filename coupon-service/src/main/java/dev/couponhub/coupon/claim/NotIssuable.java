package dev.couponhub.coupon.claim;

/** MySQL refused to count an issue (the coupon was ended, left its window, or is full): nothing was written for it. */
final class NotIssuable extends RuntimeException {

    private final Refusal refusal;

    NotIssuable(Refusal refusal) {
        super(refusal.name(), null, false, false);
        this.refusal = refusal;
    }

    Refusal refusal() {
        return refusal;
    }
}
