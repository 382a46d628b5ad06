package dev.couponhub.coupon.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.coupon.coupon.CouponService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies store events of store-service: {@code STORE_UPDATED} refreshes the store snapshot (coupons show the new
 * store name at once, and their search documents are queued for the new name), {@code STORE_DELETED} marks it
 * deleted and ends its coupons. Each event is applied once: its {@code eventId} is recorded in the same transaction
 * as its effect.
 */
@Component
public class StoreEventHandler {

    private static final Logger log = LoggerFactory.getLogger(StoreEventHandler.class);

    private final StoreSnapshotRepository snapshots;
    private final CouponService coupons;
    private final StoreSnapshots snapshotsOfStores;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    StoreEventHandler(StoreSnapshotRepository snapshots, CouponService coupons, StoreSnapshots snapshotsOfStores,
                      JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.snapshots = snapshots;
        this.coupons = coupons;
        this.snapshotsOfStores = snapshotsOfStores;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Applies one message {@code {eventId, type, occurredAt, payload}}; answers false if it was a repeat. */
    @Transactional
    public boolean handle(String message) {
        JsonNode event;
        try {
            event = json.readTree(message);
        } catch (Exception e) {
            log.warn("Ignoring a store event that is not JSON");
            return false;
        }
        String eventId = event.path("eventId").asText("");
        String type = event.path("type").asText("");
        JsonNode payload = event.path("payload");
        if (eventId.isEmpty() || eventId.length() > 64 || !payload.path("storeId").canConvertToLong()) {
            log.warn("Ignoring a malformed store event of type {}", type);
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int fresh = jdbc.update("INSERT IGNORE INTO processed_events (event_id, processed_at) VALUES (?, ?)",
                eventId, java.sql.Timestamp.from(now));
        if (fresh == 0) {
            log.debug("Store event {} was already applied", eventId);
            return false;
        }
        long storeId = payload.path("storeId").asLong();
        switch (type) {
            case "STORE_UPDATED" -> {
                long ownerId = payload.path("ownerId").asLong();
                String name = payload.path("name").asText();
                String category = payload.path("category").asText();
                snapshotsOfStores.refresh(storeId, ownerId, name, category, now);
            }
            case "STORE_DELETED" -> snapshots.findById(storeId).ifPresent(snapshot -> {
                snapshot.markDeleted(now);
                int ended = coupons.endCouponsOfStore(storeId);
                log.info("Store {} was deleted: ended {} of its coupons", storeId, ended);
            });
            default -> log.debug("Ignoring store event type {}", type);
        }
        return true;
    }
}
