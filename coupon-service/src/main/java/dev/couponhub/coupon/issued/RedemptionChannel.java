package dev.couponhub.coupon.issued;

/** Who redeemed an issued coupon; only they may cancel the redemption (docs/api.md). */
public enum RedemptionChannel {
    /** The holder, e.g. in an online order. */
    SELF,
    /** The store (its owner, or its partner keys), by the code the shopper showed. */
    COUNTER
}
