package dev.couponhub.notification.alert;

import java.util.Optional;

/** The coupon events that become alerts; every other event type is acknowledged and ignored. */
public enum AlertType {
    /** A store the recipient follows published a coupon: one alert per subscriber. */
    COUPON_PUBLISHED,
    /** The recipient's claim was issued. */
    COUPON_CLAIMED,
    /** One of the recipient's coupons expires within 24 hours. */
    COUPON_EXPIRING,
    /** The recipient used a coupon on an order. */
    COUPON_REDEEMED;

    static Optional<AlertType> of(String eventType) {
        for (AlertType type : values()) {
            if (type.name().equals(eventType)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
