package dev.couponhub.batch.ledger;

import java.util.Map;

/** What an event counts as in the statistics; stored as {@code usage_events.kind}. */
public enum UsageKind {
    NONE(0), ISSUED(1), REDEEMED(2), CANCELLED(3), EXPIRED(4);

    private static final Map<String, UsageKind> BY_TYPE = Map.of(
            "COUPON_CLAIMED", ISSUED,
            "COUPON_GRANTED", ISSUED,
            "COUPON_REDEEMED", REDEEMED,
            "COUPON_REDEMPTION_CANCELLED", CANCELLED,
            "COUPON_EXPIRED", EXPIRED,
            "COUPON_PUBLISHED", NONE,
            "COUPON_OPENED", NONE,
            "COUPON_EXPIRING", NONE,
            "COUPON_ENDED", NONE);

    private final int code;

    UsageKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind of a known event type; {@code null} for a type batch-service does not know. */
    static UsageKind ofType(String type) {
        return BY_TYPE.get(type);
    }

    /** Redemptions and their cancellations name the order they concern. */
    boolean concernsAnOrder() {
        return this == REDEEMED || this == CANCELLED;
    }

    /** Events about one issued coupon rather than the coupon as a whole. */
    boolean concernsAnIssuedCoupon() {
        return this != NONE;
    }
}
