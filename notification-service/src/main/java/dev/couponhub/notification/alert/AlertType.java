package dev.couponhub.notification.alert;

import java.util.Optional;

/** The coupon events that become alerts; every other event type is acknowledged and ignored. */
public enum AlertType {
    /** A store the recipient follows published a coupon: one alert per subscriber. */
    COUPON_PUBLISHED,
    /** A coupon a store the recipient follows published before its window opened can be claimed now: per subscriber. */
    COUPON_OPENED,
    /** The recipient's claim was issued. */
    COUPON_CLAIMED,
    /** A store gave the recipient a coupon (a grant). */
    COUPON_GRANTED,
    /** One of the recipient's coupons expires within 24 hours. */
    COUPON_EXPIRING,
    /** The recipient used a coupon on an order. */
    COUPON_REDEEMED;

    /**
     * Whether the event alerts one recipient, the holder named by the payload's {@code userId}. The holder alerts of a
     * message are written together in one transaction; a store's news (a publication, an opening) is fanned out to its
     * subscribers on its own, page by page.
     */
    boolean toHolder() {
        return this != COUPON_PUBLISHED && this != COUPON_OPENED;
    }

    static Optional<AlertType> of(String eventType) {
        for (AlertType type : values()) {
            if (type.name().equals(eventType)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
