package dev.couponhub.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OutboxEntryTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00.123456Z");

    @Test
    void messageThenEnvelopeInOrderWithThePayloadAsAnObject() throws Exception {
        OutboxEntry entry = entry("{\"storeId\":5,\"ownerId\":7,\"name\":\"Caf\\u00e9 \\\"Q\\\"\",\"category\":\"CAFE\"}",
                0);

        JsonNode message = JSON.readTree(entry.message());

        List<String> names = new ArrayList<>();
        message.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("eventId", "type", "occurredAt", "payload");
        assertThat(message.path("eventId").asText()).isEqualTo("5b0f7bd6-0b8e-4a43-9d3c-1d2a0b8f6a11");
        assertThat(message.path("type").asText()).isEqualTo("STORE_UPDATED");
        assertThat(message.path("occurredAt").asText()).isEqualTo("2026-11-21T09:00:00.123456Z");
        assertThat(message.path("payload").isObject()).isTrue();
        assertThat(message.path("payload").path("name").asText()).isEqualTo("Café \"Q\"");
    }

    @Test
    void messageThenPayloadKeptAsStored() {
        String payload = "{\"b\":1,\"a\":[1,2],\"at\":\"2026-11-21T09:00:00Z\"}";

        assertThat(entry(payload, 0).message()).endsWith(",\"payload\":" + payload + "}");
    }

    @Test
    void messageWhenOccurredOnAWholeSecondThenNoFraction() throws Exception {
        OutboxEntry entry = new OutboxEntry(1, "e", "q", "T", "{}", Instant.parse("2026-11-21T09:00:00Z"), 0);

        assertThat(JSON.readTree(entry.message()).path("occurredAt").asText()).isEqualTo("2026-11-21T09:00:00Z");
    }

    @Test
    void nextAttemptAfterFailureThenABackoffThatDoublesUpToTheMaximum() {
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(5);

        assertThat(entry("{}", 0).nextAttemptAfterFailure(T0, initial, max)).isEqualTo(T0.plusSeconds(1));
        assertThat(entry("{}", 1).nextAttemptAfterFailure(T0, initial, max)).isEqualTo(T0.plusSeconds(2));
        assertThat(entry("{}", 2).nextAttemptAfterFailure(T0, initial, max)).isEqualTo(T0.plusSeconds(4));
        assertThat(entry("{}", 3).nextAttemptAfterFailure(T0, initial, max)).isEqualTo(T0.plusSeconds(5));
        assertThat(entry("{}", 40).nextAttemptAfterFailure(T0, initial, max)).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void backoffNeverOverflows() {
        assertThat(OutboxEntry.backoff(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(OutboxEntry.backoff(0, Duration.ofSeconds(1), Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(1));
    }

    private static OutboxEntry entry(String payload, int attempts) {
        return new OutboxEntry(42, "5b0f7bd6-0b8e-4a43-9d3c-1d2a0b8f6a11", "some-queue", "STORE_UPDATED", payload, T0,
                attempts);
    }
}
