package dev.couponhub.batch.ledger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One coupon event ({@code {eventId, type, occurredAt, payload}}) as the ledger records it.
 *
 * @param issuedCouponId null for events about the coupon as a whole ({@link UsageKind#NONE})
 * @param orderId        null unless the event is a redemption or its cancellation
 * @param discountAmount 0 unless the event is a redemption or its cancellation
 */
record UsageEvent(String eventId, String type, UsageKind kind, Instant occurredAt, long couponId, long storeId,
                  String couponName, Long issuedCouponId, String orderId, long discountAmount) {

    /**
     * Range of {@code occurredAt}: DATETIME holds years 1000 to 9999, and the day of the event in any zone must fit
     * as well. An event outside it would make the database refuse its whole message.
     */
    private static final Instant EARLIEST = Instant.parse("1000-01-02T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-30T00:00:00Z");

    /**
     * Reads one event. Everything the ledger's columns need is checked here, so that the database never refuses the
     * event (which would fail every event of its message).
     *
     * @return the event, or empty when its type is not one batch-service knows (ignored, so that coupon-service can
     *         add types without breaking it)
     * @throws InvalidEventException when it is not a valid coupon event
     */
    static Optional<UsageEvent> read(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        String eventId = text(event, "eventId", 64);
        if (!eventId.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new InvalidEventException("eventId is not printable ASCII");
        }
        String type = text(event, "type", 40);
        UsageKind kind = UsageKind.ofType(type);
        if (kind == null) {
            return Optional.empty();
        }
        Instant occurredAt = instant(event, "occurredAt");
        JsonNode payload = event.path("payload");
        long couponId = positive(payload, "couponId");
        long storeId = positive(payload, "storeId");
        String couponName = text(payload, "couponName", 200);
        Long issuedCouponId = kind.concernsAnIssuedCoupon() ? positive(payload, "issuedCouponId") : null;
        String orderId = kind.concernsAnOrder() ? text(payload, "orderId", 64) : null;
        long discount = kind.concernsAnOrder() ? nonNegative(payload, "discountAmount") : 0;
        return Optional.of(new UsageEvent(eventId, type, kind, occurredAt, couponId, storeId, couponName,
                issuedCouponId, orderId, discount));
    }

    private static String text(JsonNode node, String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank() || value.asText().length() > maxLength) {
            throw new InvalidEventException(field + " missing or not valid text");
        }
        return value.asText();
    }

    private static long positive(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() <= 0) {
            throw new InvalidEventException(field + " missing or not a positive integer");
        }
        return value.asLong();
    }

    private static long nonNegative(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new InvalidEventException(field + " missing or negative");
        }
        return value.asLong();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field, 64);
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field + " is not an ISO-8601 instant");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidEventException(field + " is out of range");
        }
        return instant;
    }
}
