package dev.couponhub.store.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OutboxEntryTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00.123456Z");

    @Test
    void ofThenUnsentDueNowWithARandomEventId() {
        OutboxEntry entry = OutboxEntry.of("STORE_DELETED", 5, "{\"storeId\":5,\"ownerId\":7}", T0);

        assertThat(UUID.fromString(entry.eventId())).isNotNull();
        assertThat(entry.isSent()).isFalse();
        assertThat(entry.attempts()).isZero();
        assertThat(entry.nextAttemptAt()).isEqualTo(T0);
        assertThat(OutboxEntry.of("STORE_DELETED", 5, "{}", T0).eventId()).isNotEqualTo(entry.eventId());
    }

    @Test
    void messageThenEnvelopeInOrderWithThePayloadAsAnObject() throws Exception {
        OutboxEntry entry = OutboxEntry.of("STORE_UPDATED", 5,
                "{\"storeId\":5,\"ownerId\":7,\"name\":\"Caf\\u00e9 \\\"Q\\\"\",\"category\":\"CAFE\"}", T0);

        JsonNode message = JSON.readTree(entry.message());

        List<String> names = new ArrayList<>();
        message.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("eventId", "type", "occurredAt", "payload");
        assertThat(message.path("eventId").asText()).isEqualTo(entry.eventId());
        assertThat(message.path("type").asText()).isEqualTo("STORE_UPDATED");
        assertThat(message.path("occurredAt").asText()).isEqualTo("2026-11-21T09:00:00.123456Z");
        assertThat(message.path("payload").isObject()).isTrue();
        assertThat(message.path("payload").path("name").asText()).isEqualTo("Café \"Q\"");
    }

    @Test
    void markSentThenSentWithOneAttempt() {
        OutboxEntry entry = OutboxEntry.of("STORE_DELETED", 5, "{}", T0);

        entry.markSent(T0.plusMillis(200));

        assertThat(entry.isSent()).isTrue();
        assertThat(entry.sentAt()).isEqualTo(T0.plusMillis(200));
        assertThat(entry.attempts()).isEqualTo(1);
    }

    @Test
    void markFailedThenStillUnsentAndDueAfterADoublingBackoff() {
        OutboxEntry entry = OutboxEntry.of("STORE_DELETED", 5, "{}", T0);
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(5);

        entry.markFailed(T0, initial, max);
        assertThat(entry.nextAttemptAt()).isEqualTo(T0.plusSeconds(1));
        entry.markFailed(T0, initial, max);
        assertThat(entry.nextAttemptAt()).isEqualTo(T0.plusSeconds(2));
        entry.markFailed(T0, initial, max);
        assertThat(entry.nextAttemptAt()).isEqualTo(T0.plusSeconds(4));
        entry.markFailed(T0, initial, max);
        assertThat(entry.nextAttemptAt()).isEqualTo(T0.plusSeconds(5));

        assertThat(entry.isSent()).isFalse();
        assertThat(entry.attempts()).isEqualTo(4);
    }

    @Test
    void backoffNeverOverflows() {
        assertThat(OutboxEntry.backoff(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(OutboxEntry.backoff(0, Duration.ofSeconds(1), Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(1));
    }
}
