package dev.couponhub.notification.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What every recipient of one event is told: the same for all subscribers of a published coupon. */
public record AlertContent(AlertType type, String title, String body, ObjectNode data) {
}
