package dev.couponhub.notification.alert;

import java.time.Instant;
import java.util.List;

/**
 * Alerts just created that share one content: all subscribers of a page of a fan-out, or the holder of one claimed,
 * expiring or redeemed coupon. Several groups travel in one broadcast, so that a message of many events costs one
 * Redis publish.
 *
 * @param deliveries the recipients and the ids of their notification rows
 */
public record NewAlerts(AlertContent content, Instant createdAt, List<Delivery> deliveries) {
}
