package dev.couponhub.notification.alert;

/** One recipient's copy of an alert: its user and the id of its notification row. */
public record Delivery(long userId, long notificationId) {
}
