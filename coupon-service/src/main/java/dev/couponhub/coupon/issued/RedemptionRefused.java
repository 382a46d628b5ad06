package dev.couponhub.coupon.issued;

/** A redemption or its cancellation that the issued coupon's state does not allow. */
public class RedemptionRefused extends RuntimeException {

    /** Why; each maps to one error code of docs/api.md. */
    public enum Reason {
        ALREADY_REDEEMED, EXPIRED, MIN_ORDER_NOT_MET, NOT_REDEEMED, ORDER_MISMATCH, NOT_REDEEMER
    }

    private final Reason reason;

    public RedemptionRefused(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
