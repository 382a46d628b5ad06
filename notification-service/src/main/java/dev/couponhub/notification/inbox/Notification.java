package dev.couponhub.notification.inbox;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An alert as clients see it: {@code {id, type, title, body, data, createdAt, readAt}}, in the inbox and on the
 * stream.
 */
public record Notification(long id, String type, String title, String body, JsonNode data, Instant createdAt,
                           Instant readAt) {
}
