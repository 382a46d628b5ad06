package dev.couponhub.store.events;

import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.store.StoreServiceItSupport;
import dev.couponhub.store.config.OutboxProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The relay against the real database and the real SQS server. Relays are built here on purpose (the shared test
 * context schedules none): one whose SQS goes away and comes back, and two running at once.
 */
class OutboxRelayIT extends StoreServiceItSupport {

    private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(2);

    @Autowired
    OutboxEntryRepository entries;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    Clock clock;
    @Autowired
    Outbox outbox;
    @Autowired
    OutboxRelay applicationRelay;

    private Queues queues;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void queues() {
        queues = new Queues();
        closeables.add(queues);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void relayWhenSqsUnreachableThenEventsStayUnsentAndAreSentOnceItIsBack() throws Exception {
        TcpProxy sqsLink = new TcpProxy(Queues.port());
        closeables.add(sqsLink);
        SqsAsyncClient client = Queues.asyncClient("http://127.0.0.1:" + sqsLink.port());
        closeables.add(client);
        String queue = queues.createQueue("relay-outage");
        OutboxRelay relay = relay(client, queue, 100);

        // SQS is down: the API does not notice
        long ownerId = newUserId();
        long storeId = createStore(ownerId, "Outage Diner", "FOOD").path("id").asLong();
        Instant beforeRun = Instant.now();
        OutboxRelay.Outcome down = relay.relayOnce();

        assertThat(down.claimed()).isPositive();
        assertThat(down.sent()).isZero();
        Map<String, Object> row = outboxRows(storeId).get(0);
        assertThat(row.get("sent_at")).isNull();
        assertThat(row.get("attempts")).isEqualTo(1);
        Instant nextAttempt = utc(jdbc.queryForObject("SELECT next_attempt_at FROM outbox_events WHERE id = ?",
                LocalDateTime.class, row.get("id")));
        assertThat(nextAttempt).isAfterOrEqualTo(beforeRun.plus(INITIAL_BACKOFF).truncatedTo(ChronoUnit.MICROS));

        // not retried before its back-off is over
        relay.relayOnce();
        assertThat(outboxRows(storeId).get(0).get("attempts")).isEqualTo(1);

        // more changes while SQS is still down
        assertThat(api.put("/api/v1/stores/" + storeId, storeBody("Outage Diner 2", "FOOD", "Street", null),
                owner(ownerId)).status()).isEqualTo(200);

        // SQS is back
        sqsLink.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (outboxRows(storeId).stream().anyMatch(r -> r.get("sent_at") == null) && System.nanoTime() < deadline) {
            relay.relayOnce();
            Thread.sleep(50);
        }

        List<Map<String, Object>> rows = outboxRows(storeId);
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r.get("sent_at")).isNotNull());
        Set<String> eventIds = rows.stream().map(r -> (String) r.get("event_id")).collect(Collectors.toSet());
        List<JsonNode> messages = queues.receive(queue, m -> eventIds.contains(m.path("eventId").asText()), 2,
                Duration.ofSeconds(10));
        assertThat(messages).extracting(m -> m.path("eventId").asText()).containsExactlyInAnyOrderElementsOf(eventIds);
        assertThat(messages).extracting(m -> m.path("payload").path("name").asText())
                .containsExactlyInAnyOrder("Outage Diner", "Outage Diner 2");
        assertThat(queues.drain(queue)).noneMatch(m -> eventIds.contains(m.path("eventId").asText()));
    }

    @Test
    void relayWhenSqsDropsAfterTheQueueWasResolvedThenTheSendIsRetried() throws Exception {
        TcpProxy sqsLink = new TcpProxy(Queues.port());
        closeables.add(sqsLink);
        sqsLink.start();
        SqsAsyncClient client = Queues.asyncClient("http://127.0.0.1:" + sqsLink.port());
        closeables.add(client);
        String queue = queues.createQueue("relay-drop");
        OutboxRelay relay = relay(client, queue, 100);
        long ownerId = newUserId();
        long storeId = createStore(ownerId, "Flaky Link", "CAFE").path("id").asLong();
        drainDue(relay);
        assertThat(outboxRows(storeId).get(0).get("sent_at")).isNotNull();

        sqsLink.stop();
        assertThat(api.delete("/api/v1/stores/" + storeId, owner(ownerId)).status()).isEqualTo(204);
        OutboxRelay.Outcome down = relay.relayOnce();

        assertThat(down.sent()).isZero();
        Map<String, Object> deleted = outboxRows(storeId).get(1);
        assertThat(deleted.get("type")).isEqualTo("STORE_DELETED");
        assertThat(deleted.get("sent_at")).isNull();
        assertThat(deleted.get("attempts")).isEqualTo(1);

        sqsLink.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (outboxRows(storeId).get(1).get("sent_at") == null && System.nanoTime() < deadline) {
            relay.relayOnce();
            Thread.sleep(50);
        }

        assertThat(outboxRows(storeId).get(1).get("attempts")).isEqualTo(2);
        String eventId = (String) deleted.get("event_id");
        List<JsonNode> all = queues.drain(queue);
        assertThat(all).filteredOn(m -> eventId.equals(m.path("eventId").asText())).hasSize(1);
        assertThat(all).filteredOn(m -> m.path("payload").path("storeId").asLong() == storeId)
                .extracting(m -> m.path("type").asText()).containsExactlyInAnyOrder("STORE_UPDATED", "STORE_DELETED");
    }

    @Test
    void twoRelaysConcurrentlyThenEveryEventSentExactlyOnce() throws Exception {
        String queue = queues.createQueue("relay-race");
        SqsAsyncClient clientA = Queues.asyncClient(Queues.endpoint());
        SqsAsyncClient clientB = Queues.asyncClient(Queues.endpoint());
        closeables.add(clientA);
        closeables.add(clientB);
        OutboxRelay relayA = relay(clientA, queue, 7);
        OutboxRelay relayB = relay(clientB, queue, 7);
        long base = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 4);
        int events = 240;
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        tx.executeWithoutResult(status -> {
            for (int i = 0; i < events; i++) {
                outbox.append(new StoreDeleted(base + i, 1));
            }
        });
        List<String> mine = jdbc.queryForList("SELECT event_id FROM outbox_events WHERE aggregate_id BETWEEN ? AND ?",
                String.class, base, base + events - 1);
        assertThat(mine).hasSize(events);

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> sentByA = pool.submit(() -> drain(relayA, start));
            Future<Integer> sentByB = pool.submit(() -> drain(relayB, start));

            assertThat(sentByA.get()).isPositive();
            assertThat(sentByB.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT event_id, sent_at, attempts FROM outbox_events "
                + "WHERE aggregate_id BETWEEN ? AND ?", base, base + events - 1);
        assertThat(rows).hasSize(events).allSatisfy(r -> {
            assertThat(r.get("sent_at")).isNotNull();
            assertThat(r.get("attempts")).isEqualTo(1);
        });
        List<JsonNode> received = queues.drain(queue);
        Map<String, Long> timesReceived = received.stream()
                .collect(Collectors.groupingBy(m -> m.path("eventId").asText(), Collectors.counting()));
        assertThat(timesReceived).containsKeys(mine.toArray(String[]::new));
        assertThat(timesReceived.values()).allMatch(count -> count == 1);
        Map<String, JsonNode> byId = received.stream()
                .collect(Collectors.toMap(m -> m.path("eventId").asText(), Function.identity()));
        JsonNode one = byId.get(mine.get(0));
        assertThat(one.path("type").asText()).isEqualTo("STORE_DELETED");
        assertThat(one.path("payload").path("ownerId").asLong()).isEqualTo(1);
    }

    @Test
    void purgeThenDeletesOnlyEventsSentLongerAgoThanTheRetention() {
        long base = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 4);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        insertRow(base, now.minusDays(30), now.minusDays(8));
        insertRow(base + 1, now.minusDays(30), now.minusDays(6));
        insertRow(base + 2, now.minusDays(30), null);

        int purged = applicationRelay.purge();

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT aggregate_id FROM outbox_events WHERE aggregate_id BETWEEN ? AND ?",
                Long.class, base, base + 2)).containsExactlyInAnyOrder(base + 1, base + 2);
    }

    @Test
    void appendOutsideATransactionThenRefused() {
        assertThatThrownBy(() -> outbox.append(new StoreDeleted(1, 1)))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void appendInATransactionThatRollsBackThenNoEvent() {
        long storeId = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 4);

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            outbox.append(new StoreDeleted(storeId, 9));
            status.setRollbackOnly();
        });

        assertThat(outboxRows(storeId)).isEmpty();
    }

    @Test
    void relayThenMessageIsTheEnvelopeWithThePayload() throws Exception {
        String queue = queues.createQueue("relay-shape");
        SqsAsyncClient client = Queues.asyncClient(Queues.endpoint());
        closeables.add(client);
        long ownerId = newUserId();
        long storeId = createStore(ownerId, "Shape Shop", "FASHION").path("id").asLong();
        String eventId = (String) outboxRows(storeId).get(0).get("event_id");
        Instant occurredAt = utc(jdbc.queryForObject("SELECT occurred_at FROM outbox_events WHERE event_id = ?",
                LocalDateTime.class, eventId));

        drainDue(relay(client, queue, 100));

        List<JsonNode> messages = queues.receive(queue, m -> eventId.equals(m.path("eventId").asText()), 1,
                Duration.ofSeconds(10));
        assertThat(messages).hasSize(1);
        JsonNode message = messages.get(0);
        assertThat(fieldNames(message)).containsExactly("eventId", "type", "occurredAt", "payload");
        assertThat(UUID.fromString(message.path("eventId").asText()).toString()).isEqualTo(eventId);
        assertThat(message.path("type").asText()).isEqualTo("STORE_UPDATED");
        assertThat(Instant.parse(message.path("occurredAt").asText())).isEqualTo(occurredAt);
        assertThat(message.path("payload")).isEqualTo(ApiClient.JSON.readTree("{\"storeId\":" + storeId
                + ",\"ownerId\":" + ownerId + ",\"name\":\"Shape Shop\",\"category\":\"FASHION\"}"));
    }

    /** Runs the relay until it finds nothing due. */
    private static void drainDue(OutboxRelay relay) {
        while (relay.relayOnce().claimed() > 0) {
            // next batch
        }
    }

    private int drain(OutboxRelay relay, CyclicBarrier start) throws Exception {
        start.await();
        int sent = 0;
        int idle = 0;
        while (idle < 3) {
            OutboxRelay.Outcome outcome = relay.relayOnce();
            sent += outcome.sent();
            idle = outcome.claimed() == 0 ? idle + 1 : 0;
        }
        return sent;
    }

    private OutboxRelay relay(SqsAsyncClient client, String queue, int batchSize) {
        OutboxProperties properties = new OutboxProperties(queue, Duration.ofDays(7), Duration.ofHours(1),
                new OutboxProperties.Relay(true, Duration.ofMillis(200), batchSize, Duration.ofSeconds(5),
                        INITIAL_BACKOFF, INITIAL_BACKOFF.multipliedBy(2)));
        return new OutboxRelay(entries, transactionManager, client, properties, clock, new SimpleMeterRegistry());
    }

    private void insertRow(long aggregateId, LocalDateTime occurredAt, LocalDateTime sentAt) {
        jdbc.update("INSERT INTO outbox_events (event_id, type, aggregate_id, payload, occurred_at, sent_at, attempts, "
                        + "next_attempt_at) VALUES (?, 'STORE_DELETED', ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), aggregateId, "{\"storeId\":" + aggregateId + ",\"ownerId\":1}",
                occurredAt, sentAt, sentAt == null ? 0 : 1, occurredAt);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Instant utc(LocalDateTime time) {
        return time.toInstant(ZoneOffset.UTC);
    }
}
