package dev.couponhub.coupon.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.coupon.coupon.CouponService;
import dev.couponhub.kit.messaging.UnreadableMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies store events of store-service. {@code STORE_UPDATED} refreshes the store snapshot if it is newer than what
 * the snapshot holds (the store's {@code version}; coupons show the new store name at once, and their search
 * documents are queued for the new name). {@code STORE_DELETED} marks the snapshot deleted for good, creating it as a
 * tombstone when the store was not known yet (so a coupon published while the store is being deleted is refused),
 * and ends its coupons. Each event is applied once: its {@code eventId} is recorded in the same transaction as its
 * effect. An event that can never be applied (not JSON, a field missing or of the wrong type) is refused with an
 * {@link UnreadableMessageException}, before anything is written, for the listener to dead-letter.
 */
@Component
public class StoreEventHandler {

    private static final Logger log = LoggerFactory.getLogger(StoreEventHandler.class);
    private static final int NAME_LENGTH = 100;
    private static final int CATEGORY_LENGTH = 20;

    private final CouponService coupons;
    private final StoreSnapshots snapshotsOfStores;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    StoreEventHandler(CouponService coupons, StoreSnapshots snapshotsOfStores, JdbcTemplate jdbc, ObjectMapper json,
                      Clock clock) {
        this.coupons = coupons;
        this.snapshotsOfStores = snapshotsOfStores;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Applies one event {@code {eventId, type, occurredAt, payload}} given as JSON text; answers false if it was a
     * repeat (or of a type this service ignores).
     *
     * @throws UnreadableMessageException when the text is not JSON or the event lacks a field it needs
     */
    @Transactional
    public boolean handle(String message) {
        JsonNode event;
        try {
            event = json.readTree(message);
        } catch (JsonProcessingException e) {
            throw new UnreadableMessageException("store event is not JSON", e);
        }
        return handle(event);
    }

    /**
     * Applies one event; answers false if it was a repeat (or of a type this service ignores).
     *
     * @throws UnreadableMessageException when the event lacks a field it needs, or a field has the wrong type
     */
    @Transactional
    public boolean handle(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new UnreadableMessageException("store event is not a JSON object");
        }
        String eventId = text(event, "eventId", 64, "eventId");
        String type = text(event, "type", 64, "type");
        JsonNode payload = event.path("payload");
        long storeId = positiveLong(payload, "storeId");
        Long version = payload.hasNonNull("version") ? nonNegativeLong(payload, "version") : null;
        Update update = null;
        if ("STORE_UPDATED".equals(type)) {
            update = new Update(positiveLong(payload, "ownerId"), text(payload, "name", NAME_LENGTH, "payload.name"),
                    text(payload, "category", CATEGORY_LENGTH, "payload.category"));
        } else if ("STORE_DELETED".equals(type)) {
            if (payload.has("ownerId")) {
                positiveLong(payload, "ownerId");
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int fresh = jdbc.update("INSERT IGNORE INTO processed_events (event_id, processed_at) VALUES (?, ?)",
                eventId, java.sql.Timestamp.from(now));
        if (fresh == 0) {
            log.debug("Store event {} was already applied", eventId);
            return false;
        }
        switch (type) {
            case "STORE_UPDATED" -> snapshotsOfStores.update(storeId, update.ownerId(), update.name(),
                    update.category(), version, now);
            case "STORE_DELETED" -> {
                snapshotsOfStores.delete(storeId, payload.path("ownerId").asLong(0), version, now);
                int ended = coupons.endCouponsOfStore(storeId);
                log.info("Store {} was deleted: ended {} of its coupons", storeId, ended);
            }
            default -> log.debug("Ignoring store event type {}", type);
        }
        return true;
    }

    private record Update(long ownerId, String name, String category) {
    }

    private static String text(JsonNode node, String field, int maxLength, String name) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new UnreadableMessageException("store event has no " + name);
        }
        if (value.asText().length() > maxLength) {
            throw new UnreadableMessageException("store event's " + name + " is longer than " + maxLength);
        }
        return value.asText();
    }

    private static long positiveLong(JsonNode payload, String field) {
        long value = nonNegativeLong(payload, field);
        if (value == 0) {
            throw new UnreadableMessageException("store event's payload." + field + " is not positive");
        }
        return value;
    }

    private static long nonNegativeLong(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new UnreadableMessageException("store event has no valid payload." + field);
        }
        return value.asLong();
    }
}
