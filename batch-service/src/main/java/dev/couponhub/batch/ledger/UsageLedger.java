package dev.couponhub.batch.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.batch.config.StatsProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records coupon events in batch-service's own ledger. Each event is recorded once (its {@code eventId} is unique in
 * the ledger, so a redelivered message changes nothing), together with the coupon's name and store in the catalogue.
 * A message that is not a valid event is refused with {@link InvalidEventException}: SQS delivers it again and, after
 * a few tries, moves it to the dead-letter queue. Event types batch-service does not know are acknowledged and
 * ignored, so that coupon-service can add types without breaking it.
 */
@Component
public class UsageLedger {

    private static final Logger log = LoggerFactory.getLogger(UsageLedger.class);
    private static final String INSERT_EVENT = "INSERT IGNORE INTO usage_events (event_id, type, kind, coupon_id, "
            + "store_id, issued_coupon_id, order_id, discount_amount, occurred_at, day, received_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_COUPON = "INSERT IGNORE INTO coupon_catalog (coupon_id, store_id, name, "
            + "first_seen) VALUES (?, ?, ?, ?)";

    /**
     * A cancellation flags the redemptions of its issued coupon and order made at or before it. Both statements are
     * locking reads on the (issued coupon, order) range, so a redemption and its cancellation recorded at the same
     * time by two consumers wait for each other and the flag is never missed.
     */
    private static final String FLAG_CANCELLED = "UPDATE usage_events SET redemption_cancelled = TRUE "
            + "WHERE issued_coupon_id = ? AND order_id = ? AND kind = 2 AND occurred_at <= ?";
    private static final String CANCELLATIONS_AFTER = "SELECT COUNT(*) FROM usage_events "
            + "WHERE issued_coupon_id = ? AND order_id = ? AND kind = 3 AND occurred_at >= ? LOCK IN SHARE MODE";
    private static final String FLAG_ONE = "UPDATE usage_events SET redemption_cancelled = TRUE WHERE event_id = ?";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final StatsProperties properties;
    private final Clock clock;
    private final Counter recorded;
    private final Counter duplicates;

    UsageLedger(JdbcTemplate jdbc, ObjectMapper json, StatsProperties properties, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.recorded = Counter.builder("couponhub.stats.events").tag("outcome", "recorded")
                .description("Coupon events recorded in the usage ledger").register(meters);
        this.duplicates = Counter.builder("couponhub.stats.events").tag("outcome", "duplicate")
                .description("Coupon events received again and ignored").register(meters);
    }

    /**
     * Records one SQS message.
     *
     * @return whether it was new (false: a repeat, or a type that is not recorded)
     * @throws InvalidEventException when the message is not a valid coupon event
     */
    @Transactional
    public boolean record(String message) {
        JsonNode event;
        try {
            event = json.readTree(message);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not JSON");
        }
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        String eventId = text(event, "eventId", 64);
        String type = text(event, "type", 40);
        UsageKind kind = UsageKind.ofType(type);
        if (kind == null) {
            log.debug("Ignoring event {} of unknown type {}", eventId, type);
            return false;
        }
        Instant occurredAt = instant(event, "occurredAt");
        JsonNode payload = event.path("payload");
        long couponId = positive(payload, "couponId");
        long storeId = positive(payload, "storeId");
        String couponName = text(payload, "couponName", 200);
        Long issuedCouponId = kind.concernsAnIssuedCoupon() ? positive(payload, "issuedCouponId") : null;
        String orderId = kind.concernsAnOrder() ? text(payload, "orderId", 64) : null;
        long discount = kind.concernsAnOrder() ? nonNegative(payload, "discountAmount") : 0;
        LocalDate day = LocalDate.ofInstant(occurredAt, properties.zone());
        LocalDateTime now = utc(clock.instant());

        int inserted = jdbc.update(INSERT_EVENT, eventId, type, kind.code(), couponId, storeId, issuedCouponId, orderId,
                discount, utc(occurredAt), day, now);
        jdbc.update(INSERT_COUPON, couponId, storeId, couponName, now);
        if (inserted == 0) {
            duplicates.increment();
            return false;
        }
        if (kind == UsageKind.REDEEMED) {
            // its cancellation may have been recorded first (SQS does not keep order)
            Integer cancellations = jdbc.queryForObject(CANCELLATIONS_AFTER, Integer.class, issuedCouponId, orderId,
                    utc(occurredAt));
            if (cancellations != null && cancellations > 0) {
                jdbc.update(FLAG_ONE, eventId);
            }
        } else if (kind == UsageKind.CANCELLED) {
            jdbc.update(FLAG_CANCELLED, issuedCouponId, orderId, utc(occurredAt));
        }
        recorded.increment();
        return true;
    }

    /** An instant as the UTC wall-clock time that DATETIME columns hold. */
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
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
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field + " is not an ISO-8601 instant");
        }
    }
}
