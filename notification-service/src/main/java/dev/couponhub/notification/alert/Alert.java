package dev.couponhub.notification.alert;

/**
 * One recipient's alert of one event, before it is written. The unique key (eventId, userId) of the notification row
 * makes writing it again create nothing.
 */
record Alert(String eventId, long userId, AlertContent content) {
}
