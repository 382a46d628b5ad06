package dev.couponhub.coupon;

import dev.couponhub.kit.outbox.OutboxRelay;
import dev.couponhub.testsupport.Queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The relay sends every event to both consumer queues, as {eventId, type, occurredAt, payload}. */
class OutboxRelayIT extends CouponServiceItSupport {

    @Autowired
    OutboxRelay relay;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void backlogGaugeCountsTheEventsNotYetSent() {
        long[] store = newStore("CAFE");
        publish(store[0], couponBody(store[1], "Backlog " + token(), 3)); // one unsent row, for both queues

        long counted = relay.refreshPending();

        Long unsent = jdbc.queryForObject("SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NULL", Long.class);
        assertThat(counted).isEqualTo(unsent).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("couponhub.outbox.pending").gauge().value()).isEqualTo((double) unsent);
    }

    @Test
    void relayThenBothQueuesCarryEveryEventAsJsonPackedOrNot() {
        long[] store = newStore("CAFE");
        JsonNode coupon = publish(store[0], couponBody(store[1], "Relayed " + token(), 3));
        long couponId = coupon.path("id").asLong();
        long user = newUserId();
        JsonNode issued = claim(couponId, user).json();

        // earlier tests may have left many events unsent: run the relay until this coupon's are sent
        for (int run = 0; run < 50 && outboxRows(couponId).stream().anyMatch(row -> row.get("sent_at") == null); run++) {
            relay.runScheduled();
        }

        assertThat(outboxRows(couponId)).hasSize(2).allSatisfy(row -> assertThat(row.get("sent_at")).isNotNull());
        try (Queues queues = new Queues()) {
            for (String queue : List.of("coupon-events-notification", "coupon-events-stats")) {
                List<JsonNode> messages = queues.receiveEvents(queue,
                        m -> m.path("payload").path("couponId").asLong() == couponId, 2, Duration.ofSeconds(20));
                assertThat(messages).extracting(m -> m.path("type").asText())
                        .containsExactlyInAnyOrder("COUPON_PUBLISHED", "COUPON_CLAIMED");
                for (JsonNode message : messages) {
                    assertThat(message.path("eventId").asText()).hasSize(36);
                    assertThat(message.path("occurredAt").asText()).endsWith("Z");
                    JsonNode payload = message.path("payload");
                    assertThat(payload.path("storeId").asLong()).isEqualTo(store[1]);
                    assertThat(payload.path("storeName").asText()).isEqualTo(coupon.path("storeName").asText());
                    assertThat(payload.path("couponName").asText()).isEqualTo(coupon.path("name").asText());
                    if (message.path("type").asText().equals("COUPON_CLAIMED")) {
                        assertThat(payload.path("userId").asLong()).isEqualTo(user);
                        assertThat(payload.path("issuedCouponId").asLong()).isEqualTo(issued.path("id").asLong());
                        assertThat(payload.path("expiresAt").asText()).isEqualTo(issued.path("expiresAt").asText());
                    } else {
                        assertThat(payload.path("totalQuantity").asLong()).isEqualTo(3);
                        assertThat(payload.path("discountType").asText()).isEqualTo("FIXED");
                    }
                }
            }
        }
    }
}
