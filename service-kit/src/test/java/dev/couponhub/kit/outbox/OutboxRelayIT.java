package dev.couponhub.kit.outbox;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.devstack.Component;
import dev.couponhub.kit.outbox.TestEvents.ParcelLost;
import dev.couponhub.kit.outbox.TestEvents.ParcelShipped;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The relay against the real database and the real SQS server, for a service with JDBC only whose outbox goes to one
 * queue (store-service's layout: no {@code destination} column). Relays are built here on purpose (the context
 * schedules none): one whose SQS goes away and comes back, two running at once, one whose SQS refuses a message.
 */
@SpringBootTest(classes = OutboxTestApplications.JdbcService.class, properties = {
        "couponhub.outbox.table=kit_outbox_single",
        "couponhub.outbox.queue=kit-single-unused",
        "couponhub.outbox.relay.enabled=false",
})
class OutboxRelayIT {

    private static final String TABLE = "kit_outbox_single";
    private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(2);

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "store", Component.MARIADB, Component.SQS);
        for (String property : OutboxTestApplications.PROPERTIES) {
            String[] nameAndValue = property.split("=", 2);
            registry.add(nameAndValue[0], () -> nameAndValue[1]);
        }
    }

    @Autowired
    Outbox outbox;
    @Autowired
    OutboxRelay applicationRelay;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    private Queues queues;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        OutboxTestTables.createSingle(jdbc, TABLE);
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
    void contextThenTheServicesJdbcTransactionManager() {
        assertThat(transactionManager).isInstanceOf(JdbcTransactionManager.class);
    }

    @Test
    void relayWhenSqsUnreachableThenEventsStayUnsentAndAreSentOnceItIsBack() throws Exception {
        TcpProxy sqsLink = new TcpProxy(Queues.port());
        closeables.add(sqsLink);
        SqsAsyncClient client = Queues.asyncClient("http://127.0.0.1:" + sqsLink.port());
        closeables.add(client);
        String queue = queues.createQueue("relay-outage");
        OutboxRelay relay = relay(client, queue, 100);

        // SQS is down: the change commits all the same
        long parcel = newId();
        append(new ParcelShipped(parcel, "outage", Instant.now()));
        Instant beforeRun = Instant.now();
        OutboxRelay.Outcome down = relay.relayOnce();

        assertThat(down.claimed()).isPositive();
        assertThat(down.sent()).isZero();
        // an outage is no fault of the event: no attempt counted, no back-off of its own, given back due at once;
        // the relay pauses instead
        Map<String, Object> row = rows(parcel).get(0);
        assertThat(row.get("sent_at")).isNull();
        assertThat(row.get("attempts")).isEqualTo(0);
        assertThat(utc((LocalDateTime) row.get("next_attempt_at"))).isBetween(
                beforeRun.truncatedTo(ChronoUnit.MICROS), Instant.now());
        assertThat(relay.paused()).isTrue();

        relay.relayOnce();
        assertThat(rows(parcel).get(0).get("attempts")).isEqualTo(0);

        // more changes while SQS is still down
        append(new ParcelLost(parcel));

        // SQS is back
        sqsLink.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (rows(parcel).stream().anyMatch(r -> r.get("sent_at") == null) && System.nanoTime() < deadline) {
            relay.relayOnce();
            Thread.sleep(50);
        }

        List<Map<String, Object>> rows = rows(parcel);
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r.get("sent_at")).isNotNull());
        Set<String> eventIds = rows.stream().map(r -> (String) r.get("event_id")).collect(Collectors.toSet());
        List<JsonNode> messages = queues.receive(queue, m -> eventIds.contains(m.path("eventId").asText()), 2,
                Duration.ofSeconds(10));
        assertThat(messages).extracting(m -> m.path("eventId").asText()).containsExactlyInAnyOrderElementsOf(eventIds);
        assertThat(messages).extracting(m -> m.path("type").asText())
                .containsExactlyInAnyOrder("PARCEL_SHIPPED", "PARCEL_LOST");
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
        long parcel = newId();
        append(new ParcelShipped(parcel, "flaky", Instant.now()));
        drainDue(relay);
        assertThat(rows(parcel).get(0).get("sent_at")).isNotNull();

        sqsLink.stop();
        append(new ParcelLost(parcel));
        OutboxRelay.Outcome down = relay.relayOnce();

        assertThat(down.sent()).isZero();
        Map<String, Object> lost = rows(parcel).get(1);
        assertThat(lost.get("type")).isEqualTo("PARCEL_LOST");
        assertThat(lost.get("sent_at")).isNull();
        assertThat(lost.get("attempts")).isEqualTo(0);

        sqsLink.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (rows(parcel).get(1).get("sent_at") == null && System.nanoTime() < deadline) {
            relay.relayOnce();
            Thread.sleep(50);
        }

        assertThat(rows(parcel).get(1).get("attempts")).as("the send SQS acknowledged").isEqualTo(1);
        String eventId = (String) lost.get("event_id");
        List<JsonNode> all = queues.drain(queue);
        assertThat(all).filteredOn(m -> eventId.equals(m.path("eventId").asText())).hasSize(1);
        assertThat(all).filteredOn(m -> m.path("payload").path("parcelId").asLong() == parcel)
                .extracting(m -> m.path("type").asText()).containsExactlyInAnyOrder("PARCEL_SHIPPED", "PARCEL_LOST");
    }

    @Test
    void relayWhenTheQueueDoesNotExistYetThenEventsWaitAndGoOnceItExists() throws Exception {
        String queue = "relay-later-" + UUID.randomUUID().toString().substring(0, 8);
        SqsAsyncClient client = Queues.asyncClient(Queues.endpoint());
        closeables.add(client);
        OutboxRelay relay = relay(client, queue, 100);
        long parcel = newId();
        append(new ParcelLost(parcel));

        assertThat(relay.relayOnce().sent()).isZero();
        assertThat(rows(parcel).get(0).get("sent_at")).isNull();

        try (software.amazon.awssdk.services.sqs.SqsClient admin = software.amazon.awssdk.services.sqs.SqsClient
                .builder().endpointOverride(java.net.URI.create(Queues.endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .build()) {
            admin.createQueue(request -> request.queueName(queue));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (rows(parcel).get(0).get("sent_at") == null && System.nanoTime() < deadline) {
            relay.relayOnce();
            Thread.sleep(50);
        }

        String eventId = (String) rows(parcel).get(0).get("event_id");
        assertThat(queues.receive(queue, m -> eventId.equals(m.path("eventId").asText()), 1, Duration.ofSeconds(10)))
                .hasSize(1);
    }

    @Test
    void relayWhenSqsRefusesOneMessageOfABatchThenOnlyThatOneIsRetried() throws Exception {
        String queue = queues.createQueue("relay-refuse");
        SqsAsyncClient real = Queues.asyncClient(Queues.endpoint());
        closeables.add(real);
        long parcel = newId();
        RefusingSqs sqs = new RefusingSqs(real, entry -> entry.messageBody().contains("\"parcelId\":" + (parcel + 1)));
        OutboxRelay relay = relay(sqs, queue, 100);
        append(new ParcelLost(parcel), new ParcelLost(parcel + 1), new ParcelLost(parcel + 2));

        drainDue(relay);

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT aggregate_id, sent_at, attempts FROM " + TABLE
                + " WHERE aggregate_id BETWEEN ? AND ? ORDER BY id", parcel, parcel + 2);
        assertThat(rows).extracting(r -> r.get("sent_at") != null).containsExactly(true, false, true);
        assertThat(rows).extracting(r -> r.get("attempts")).containsExactly(1, 1, 1);

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (jdbc.queryForObject("SELECT sent_at IS NULL FROM " + TABLE + " WHERE aggregate_id = ?", Boolean.class,
                parcel + 1) && System.nanoTime() < deadline) {
            relay.relayOnce();
            Thread.sleep(100);
        }

        assertThat(jdbc.queryForObject("SELECT attempts FROM " + TABLE + " WHERE aggregate_id = ?", Integer.class,
                parcel + 1)).isEqualTo(2);
        Map<Long, Long> received = queues.drain(queue).stream()
                .collect(Collectors.groupingBy(m -> m.path("payload").path("parcelId").asLong(), Collectors.counting()));
        assertThat(received).containsEntry(parcel, 1L).containsEntry(parcel + 1, 1L).containsEntry(parcel + 2, 1L);
    }

    @Test
    void relayWhileItsSendIsInFlightThenNoRowIsLockedAndNoOtherRunTakesTheEvents() throws Exception {
        String queue = queues.createQueue("relay-in-flight");
        SqsAsyncClient real = Queues.asyncClient(Queues.endpoint());
        closeables.add(real);
        StallingSqs stalling = new StallingSqs(real);
        closeables.add(stalling);
        OutboxRelay relay = relay(stalling, queue, 100);
        OutboxRelay other = relay(real, queue, 100);
        long base = newId();
        append(new ParcelLost(base), new ParcelLost(base + 1), new ParcelLost(base + 2));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<OutboxRelay.Outcome> sending = pool.submit(relay::relayOnce);
            assertThat(stalling.awaitInFlight(Duration.ofSeconds(10))).as("the relay is waiting for SQS").isTrue();
            Instant inFlightAt = Instant.now();

            // another transaction locks and changes the rows being sent at once: the relay holds no lock on them
            List<Long> locked = new TransactionTemplate(transactionManager).execute(status -> {
                List<Long> ids = jdbc.queryForList("SELECT id FROM " + TABLE
                        + " WHERE aggregate_id BETWEEN ? AND ? FOR UPDATE NOWAIT", Long.class, base, base + 2);
                jdbc.update("UPDATE " + TABLE + " SET type = type WHERE aggregate_id BETWEEN ? AND ?", base, base + 2);
                return ids;
            });
            assertThat(locked).hasSize(3);
            // they are leased: another run, not held up, leaves them to the relay sending them
            assertThat(jdbc.queryForList("SELECT next_attempt_at FROM " + TABLE + " WHERE aggregate_id BETWEEN ? AND ?",
                    LocalDateTime.class, base, base + 2)).allSatisfy(at -> assertThat(utc(at)).isAfter(inFlightAt));
            long started = System.nanoTime();
            other.relayOnce();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(sentBetween(base, base + 2)).isZero();

            stalling.release();
            assertThat(sending.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new OutboxRelay.Outcome(3, 3));
        } finally {
            stalling.release();
            pool.shutdownNow();
        }

        assertThat(sentBetween(base, base + 2)).isEqualTo(3);
        assertThat(queues.receive(queue, m -> parcelBetween(m, base, base + 2), 3, Duration.ofSeconds(10))).hasSize(3);
        assertThat(queues.drain(queue)).noneMatch(m -> parcelBetween(m, base, base + 2));
    }

    @Test
    void relayWhenAnInstanceDiedAfterItsClaimThenItsEventsGoOnceTheLeaseIsOver() {
        String queue = queues.createQueue("relay-lease");
        SqsAsyncClient client = Queues.asyncClient(Queues.endpoint());
        closeables.add(client);
        OutboxProperties.Relay settings = settings(100, 1, 10);
        OutboxRelay relay = relay(client, settings, queue, Clock.systemUTC(), new SimpleMeterRegistry());
        long parcel = newId();
        append(new ParcelLost(parcel));

        // an instance claims the event and dies before it records anything
        OutboxTable table = new OutboxTable(jdbc, properties(queue, settings));
        Instant claimedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<OutboxEntry> claimed = new TransactionTemplate(transactionManager)
                .execute(status -> table.claimDue(claimedAt, claimedAt.plus(settings.lease()), 1000));
        String eventId = (String) rows(parcel).get(0).get("event_id");
        assertThat(claimed).extracting(OutboxEntry::eventId).contains(eventId);

        drainDue(relay);
        assertThat(rows(parcel).get(0).get("sent_at")).as("leased to the instance that died").isNull();

        OutboxRelay afterTheLease = relay(client, settings, queue,
                Clock.offset(Clock.systemUTC(), settings.lease().plusSeconds(1)), new SimpleMeterRegistry());
        drainDue(afterTheLease);

        assertThat(rows(parcel).get(0).get("sent_at")).isNotNull();
        assertThat(queues.receive(queue, m -> eventId.equals(m.path("eventId").asText()), 1, Duration.ofSeconds(10)))
                .hasSize(1);
    }

    @Test
    void runScheduledWhenSqsWasUnreachableForAWhileThenTheEventsThatWaitedGoFirstInTheirOrder() throws Exception {
        TcpProxy sqsLink = new TcpProxy(Queues.port());
        closeables.add(sqsLink);
        SqsAsyncClient client = Queues.asyncClient("http://127.0.0.1:" + sqsLink.port());
        closeables.add(client);
        String queue = queues.createQueue("relay-order");
        // batches of two; an event SQS refused would wait 1 s, then 2, 4, up to 8 s; the relay pauses 100 to 400 ms
        OutboxProperties.Relay settings = new OutboxProperties.Relay(true, Duration.ofMillis(50), 2,
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(8), 1, 10, Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofMillis(400));
        OutboxRelay relay = relay(client, settings, queue, Clock.systemUTC(), new SimpleMeterRegistry());
        sqsLink.start();
        drainDue(relay); // what other tests left due
        sqsLink.stop();

        long base = newId();
        append(new ParcelLost(base), new ParcelLost(base + 1));
        runScheduledFor(relay, Duration.ofSeconds(3));
        append(new ParcelLost(base + 2), new ParcelLost(base + 3));
        runScheduledFor(relay, Duration.ofMillis(300));
        assertThat(sentBetween(base, base + 3)).isZero();

        sqsLink.start();
        Instant back = Instant.now();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sentBetween(base, base + 3) < 4 && System.nanoTime() < deadline) {
            relay.runScheduled();
            Thread.sleep(50);
        }

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT sent_at, attempts FROM " + TABLE
                + " WHERE aggregate_id BETWEEN ? AND ? ORDER BY id", base, base + 3);
        assertThat(rows).hasSize(4).allSatisfy(row -> {
            assertThat(row.get("sent_at")).isNotNull();
            assertThat(row.get("attempts")).as("the outage counted no attempt").isEqualTo(1);
        });
        List<Instant> sentAt = rows.stream().map(row -> utc((LocalDateTime) row.get("sent_at"))).toList();
        assertThat(sentAt).as("oldest first").isSorted();
        assertThat(Duration.between(back, sentAt.get(3))).as("none trails once SQS is back")
                .isLessThan(Duration.ofSeconds(3));
        assertThat(queues.receive(queue, m -> parcelBetween(m, base, base + 3), 4, Duration.ofSeconds(10)))
                .hasSize(4);
    }

    @Test
    void relayWhenSqsRefusesOneEventEveryTimeThenItIsParkedAfterMaxAttemptsAndTheOthersFlow() throws Exception {
        String queue = queues.createQueue("relay-park");
        SqsAsyncClient real = Queues.asyncClient(Queues.endpoint());
        closeables.add(real);
        String poisonLabel = "poison-" + UUID.randomUUID();
        RefusingSqs sqs = new RefusingSqs(real, entry -> entry.messageBody().contains(poisonLabel), true);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // packed ten to a message: the poison's first refusal is its neighbours' too; from then on each goes alone
        OutboxProperties.Relay settings = new OutboxProperties.Relay(true, Duration.ofMillis(200), 100,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(200), 10, 3, Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        OutboxRelay relay = relay(sqs, settings, queue, Clock.systemUTC(), meters);
        ListAppender<ILoggingEvent> log = captureLog();
        long base = newId();
        append(new ParcelLost(base), new ParcelShipped(base + 1, poisonLabel, Instant.now()),
                new ParcelLost(base + 2));
        String poisonId = (String) rows(base + 1).get(0).get("event_id");

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (rows(base + 1).get(0).get("parked_at") == null && System.nanoTime() < deadline) {
            relay.relayOnce();
            Thread.sleep(50);
        }

        Map<String, Object> poison = rows(base + 1).get(0);
        assertThat(poison.get("parked_at")).isNotNull();
        assertThat(poison.get("sent_at")).isNull();
        assertThat(poison.get("attempts")).isEqualTo(3);
        for (long parcel : new long[] {base, base + 2}) {
            Map<String, Object> row = rows(parcel).get(0);
            assertThat(row.get("sent_at")).isNotNull();
            assertThat(row.get("parked_at")).isNull();
            assertThat(row.get("attempts")).as("refused once packed with the poison, then sent alone").isEqualTo(2);
        }
        assertThat(queues.receive(queue, m -> parcelBetween(m, base, base + 2), 2, Duration.ofSeconds(10)))
                .extracting(m -> m.path("payload").path("parcelId").asLong()).containsExactlyInAnyOrder(base, base + 2);
        assertThat(meters.get("couponhub.outbox.parked").counter().count()).isEqualTo(1);
        relay.refreshPending();
        Long parkedRows = jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE parked_at IS NOT NULL "
                + "AND sent_at IS NULL", Long.class);
        assertThat(meters.get("couponhub.outbox.parked.rows").gauge().value()).isEqualTo((double) parkedRows)
                .isGreaterThanOrEqualTo(1);
        List<ILoggingEvent> errors = log.list.stream().filter(event -> event.getLevel() == Level.ERROR).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getFormattedMessage()).contains("Outbox event parked", poisonId, "PARCEL_SHIPPED")
                .doesNotContain(poisonLabel);

        // parked: never claimed, never purged
        relay.relayOnce();
        applicationRelay.purge();
        assertThat(rows(base + 1).get(0).get("attempts")).isEqualTo(3);

        // an operator re-queues it (docs/operations.md) once SQS takes it
        jdbc.update("UPDATE " + TABLE + " SET parked_at = NULL, attempts = 0, next_attempt_at = occurred_at "
                + "WHERE event_id = ? AND sent_at IS NULL", poisonId);
        drainDue(relay(real, settings, queue, Clock.systemUTC(), new SimpleMeterRegistry()));
        assertThat(rows(base + 1).get(0).get("sent_at")).isNotNull();
        assertThat(queues.receive(queue, m -> poisonId.equals(m.path("eventId").asText()), 1, Duration.ofSeconds(10)))
                .hasSize(1);
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
        long base = newId();
        int events = 240;
        List<OutboxEvent> lost = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            lost.add(new ParcelLost(base + i));
        }
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            for (OutboxEvent event : lost) {
                outbox.append(event);
            }
        });
        List<String> mine = jdbc.queryForList("SELECT event_id FROM " + TABLE + " WHERE aggregate_id BETWEEN ? AND ?",
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

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT event_id, sent_at, attempts FROM " + TABLE
                + " WHERE aggregate_id BETWEEN ? AND ?", base, base + events - 1);
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
        assertThat(one.path("type").asText()).isEqualTo("PARCEL_LOST");
        assertThat(one.path("payload").path("parcelId").asLong()).isBetween(base, base + events - 1);
    }

    @Test
    void purgeThenDeletesOnlyEventsSentLongerAgoThanTheRetention() {
        long base = newId();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        insertRow(base, now.minusDays(30), now.minusDays(8));
        insertRow(base + 1, now.minusDays(30), now.minusDays(6));
        insertRow(base + 2, now.minusDays(30), null);

        int purged = applicationRelay.purge();

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT aggregate_id FROM " + TABLE + " WHERE aggregate_id BETWEEN ? AND ?",
                Long.class, base, base + 2)).containsExactlyInAnyOrder(base + 1, base + 2);
        jdbc.update("DELETE FROM " + TABLE + " WHERE aggregate_id BETWEEN ? AND ?", base, base + 2);
    }

    @Test
    void appendOutsideATransactionThenRefused() {
        assertThatThrownBy(() -> outbox.append(new ParcelLost(1)))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void appendInATransactionThatRollsBackThenNoEvent() {
        long parcel = newId();

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            outbox.append(new ParcelLost(parcel));
            status.setRollbackOnly();
        });

        assertThat(rows(parcel)).isEmpty();
    }

    @Test
    void relayThenMessageIsTheEnvelopeWithThePayload() throws Exception {
        String queue = queues.createQueue("relay-shape");
        SqsAsyncClient client = Queues.asyncClient(Queues.endpoint());
        closeables.add(client);
        long parcel = newId();
        append(new ParcelShipped(parcel, "Café \"Q\"", Instant.parse("2026-11-21T09:00:00.123456Z")));
        Map<String, Object> row = rows(parcel).get(0);
        String eventId = (String) row.get("event_id");

        drainDue(relay(client, queue, 100));

        List<JsonNode> messages = queues.receive(queue, m -> eventId.equals(m.path("eventId").asText()), 1,
                Duration.ofSeconds(10));
        assertThat(messages).hasSize(1);
        JsonNode message = messages.get(0);
        List<String> names = new ArrayList<>();
        message.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("eventId", "type", "occurredAt", "payload");
        assertThat(UUID.fromString(message.path("eventId").asText()).toString()).isEqualTo(eventId);
        assertThat(message.path("type").asText()).isEqualTo("PARCEL_SHIPPED");
        assertThat(Instant.parse(message.path("occurredAt").asText()))
                .isEqualTo(utc((LocalDateTime) row.get("occurred_at")));
        assertThat(message.path("payload")).isEqualTo(json.readTree("{\"parcelId\":" + parcel
                + ",\"label\":\"Café \\\"Q\\\"\",\"shippedAt\":\"2026-11-21T09:00:00.123456Z\"}"));
    }

    @Test
    void relayWithSeveralEventsPerMessageThenEachEventOnceInOrderPackedInArrays() throws Exception {
        String queue = queues.createQueue("relay-packed");
        SqsAsyncClient client = Queues.asyncClient(Queues.endpoint());
        closeables.add(client);
        long base = newId();
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(new ParcelLost(base + i));
        }
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> outbox.appendAll(events));

        drainDue(relay(client, queue, 100, 10));

        List<JsonNode> messages = queues.drain(queue);
        assertThat(messages).extracting(JsonNode::size).containsExactlyInAnyOrder(10, 10, 5);
        assertThat(messages).allMatch(JsonNode::isArray);
        List<Long> parcels = new ArrayList<>();
        messages.stream()
                .sorted(java.util.Comparator.comparingLong(message -> message.get(0).path("payload").path("parcelId")
                        .asLong()))
                .forEach(message -> message.forEach(event -> {
                    assertThat(event.path("type").asText()).isEqualTo("PARCEL_LOST");
                    assertThat(event.path("eventId").asText()).hasSize(36);
                    parcels.add(event.path("payload").path("parcelId").asLong());
                }));
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add(base + i);
        }
        assertThat(parcels).containsExactlyElementsOf(expected);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE aggregate_id BETWEEN ? AND ? "
                + "AND sent_at IS NOT NULL", Integer.class, base, base + 24)).isEqualTo(25);
    }

    @Test
    void relayWhenEventsContinueTracesThenEachMessageCarriesItsFirstTracedEventsTrace() throws Exception {
        String queue = queues.createQueue("relay-traced");
        SqsAsyncClient client = Queues.asyncClient(Queues.endpoint());
        closeables.add(client);
        long base = newId();
        String first = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String second = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(new ParcelLost(base + i));
        }
        List<String> traces = java.util.Arrays.asList(null, null, null, null, first, second);
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> outbox.appendAll(events, traces));
        // and one stored by a thread that works for a sampled trace
        String third;
        try (dev.couponhub.kit.tracing.TestTracers tracers = new dev.couponhub.kit.tracing.TestTracers(true)) {
            Outbox traced = new Outbox(jdbc, json, Clock.systemUTC(),
                    properties(queue, settings(100, 3, 10)), tracers.contexts());
            io.micrometer.tracing.Span span = tracers.tracer().nextSpan().name("ship").start();
            try (io.micrometer.tracing.Tracer.SpanInScope ignored = tracers.tracer().withSpan(span)) {
                third = tracers.contexts().currentSampled();
                new TransactionTemplate(transactionManager).executeWithoutResult(status ->
                        traced.append(new ParcelLost(base + 6)));
            } finally {
                span.end();
            }
        }
        assertThat(third).isNotNull();
        assertThat(jdbc.queryForList("SELECT trace_parent FROM " + TABLE + " WHERE aggregate_id BETWEEN ? AND ? "
                + "ORDER BY id", String.class, base, base + 6))
                .containsExactly(null, null, null, null, first, second, third);

        drainDue(relay(client, queue, 100, 3));

        // packed three to a message as without traces: [0 1 2] carries none, [3 4 5] the first of its traces, [6] its own
        Map<Long, String> traceOfParcel = new java.util.HashMap<>();
        List<Integer> sizes = new ArrayList<>();
        String url = client.getQueueUrl(r -> r.queueName(queue)).get().queueUrl();
        for (int empty = 0; empty < 2; ) {
            List<software.amazon.awssdk.services.sqs.model.Message> received = client.receiveMessage(r -> r
                    .queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All"))
                    .get().messages();
            empty = received.isEmpty() ? empty + 1 : 0;
            for (software.amazon.awssdk.services.sqs.model.Message message : received) {
                JsonNode body = json.readTree(message.body());
                List<JsonNode> carried = new ArrayList<>();
                if (body.isArray()) {
                    body.forEach(carried::add);
                } else {
                    carried.add(body);
                }
                sizes.add(carried.size());
                var attribute = message.messageAttributes().get("traceparent");
                for (JsonNode event : carried) {
                    traceOfParcel.put(event.path("payload").path("parcelId").asLong(),
                            attribute == null ? "none" : attribute.stringValue());
                }
            }
        }
        assertThat(sizes).containsExactlyInAnyOrder(3, 3, 1);
        assertThat(traceOfParcel).containsExactlyInAnyOrderEntriesOf(Map.of(
                base, "none", base + 1, "none", base + 2, "none", base + 3, first, base + 4, first,
                base + 5, first, base + 6, third));
    }

    private void append(OutboxEvent... events) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> outbox.appendAll(List.of(events)));
    }

    private int sentBetween(long first, long last) {
        Integer sent = jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE aggregate_id BETWEEN ? AND ? "
                + "AND sent_at IS NOT NULL", Integer.class, first, last);
        return sent == null ? 0 : sent;
    }

    private static boolean parcelBetween(JsonNode message, long first, long last) {
        long parcel = message.path("payload").path("parcelId").asLong();
        return parcel >= first && parcel <= last;
    }

    /** Runs the relay as the scheduler does, every 50 ms, for a while. */
    private static void runScheduledFor(OutboxRelay relay, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            relay.runScheduled();
            Thread.sleep(50);
        }
    }

    private ListAppender<ILoggingEvent> captureLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(OutboxRelay.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        closeables.add(() -> logger.detachAppender(appender));
        return appender;
    }

    private List<Map<String, Object>> rows(long aggregateId) {
        return jdbc.queryForList("SELECT id, event_id, type, payload, occurred_at, sent_at, attempts, next_attempt_at, "
                + "parked_at FROM " + TABLE + " WHERE aggregate_id = ? ORDER BY id", aggregateId);
    }

    /** Runs the relay until it finds nothing due. */
    private static void drainDue(OutboxRelay relay) {
        while (relay.relayOnce().claimed() > 0) {
            // next batch
        }
    }

    private static int drain(OutboxRelay relay, CyclicBarrier start) throws Exception {
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
        return relay(client, queue, batchSize, 1);
    }

    private OutboxRelay relay(SqsAsyncClient client, String queue, int batchSize, int eventsPerMessage) {
        return relay(client, settings(batchSize, eventsPerMessage, 10), queue, Clock.systemUTC(),
                new SimpleMeterRegistry());
    }

    private OutboxRelay relay(SqsAsyncClient client, OutboxProperties.Relay settings, String queue, Clock clock,
                              MeterRegistry meters) {
        return new OutboxRelay(jdbc, transactionManager, client, properties(queue, settings), clock, meters);
    }

    /** Settings as {@link #relay(SqsAsyncClient, String, int, int)} uses them, with a max-attempts of its own. */
    private static OutboxProperties.Relay settings(int batchSize, int eventsPerMessage, int maxAttempts) {
        return new OutboxProperties.Relay(true, Duration.ofMillis(200), batchSize, Duration.ofSeconds(5),
                INITIAL_BACKOFF, INITIAL_BACKOFF.multipliedBy(2), eventsPerMessage, maxAttempts, Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    private static OutboxProperties properties(String queue, OutboxProperties.Relay settings) {
        return new OutboxProperties(TABLE, queue, null, Duration.ofDays(7), Duration.ofHours(1), settings);
    }

    private void insertRow(long aggregateId, LocalDateTime occurredAt, LocalDateTime sentAt) {
        jdbc.update("INSERT INTO " + TABLE + " (event_id, type, aggregate_id, payload, occurred_at, sent_at, attempts, "
                        + "next_attempt_at) VALUES (?, 'PARCEL_LOST', ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), aggregateId, "{\"parcelId\":" + aggregateId + "}",
                occurredAt, sentAt, sentAt == null ? 0 : 1, occurredAt);
    }

    private static long newId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 4);
    }

    private static Instant utc(LocalDateTime time) {
        return time.toInstant(ZoneOffset.UTC);
    }

    /** SQS that refuses, once each, the messages {@code refused} picks (as SQS does for a message it cannot take). */
    private static final class RefusingSqs implements SqsAsyncClient {

        private final SqsAsyncClient real;
        private final Predicate<SendMessageBatchRequestEntry> refused;
        private final boolean everyTime;
        private final Set<String> refusedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

        RefusingSqs(SqsAsyncClient real, Predicate<SendMessageBatchRequestEntry> refused) {
            this(real, refused, false);
        }

        /** With {@code everyTime}, refuses the picked messages on every try, as SQS refuses an invalid message. */
        RefusingSqs(SqsAsyncClient real, Predicate<SendMessageBatchRequestEntry> refused, boolean everyTime) {
            this.real = real;
            this.refused = refused;
            this.everyTime = everyTime;
        }

        @Override
        public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
            return real.getQueueUrl(request);
        }

        @Override
        public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
            List<SendMessageBatchRequestEntry> kept = new ArrayList<>();
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (SendMessageBatchRequestEntry entry : request.entries()) {
                if (everyTime && refused.test(entry)) {
                    failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("InvalidMessageContents")
                            .message("refused by the test, every time").senderFault(true).build());
                } else if (refused.test(entry) && refusedOnce.add(entry.messageBody())) {
                    failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("InternalError")
                            .message("refused by the test").senderFault(false).build());
                } else {
                    kept.add(entry);
                }
            }
            if (kept.isEmpty()) {
                return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().failed(failed).build());
            }
            return real.sendMessageBatch(request.toBuilder().entries(kept).build())
                    .thenApply(response -> response.toBuilder()
                            .failed(java.util.stream.Stream.concat(response.failed().stream(), failed.stream())
                                    .toList())
                            .build());
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {
            // the test closes the real client
        }
    }

    /**
     * SQS whose batch sends are held until {@link #release()}: each send is made once the test lets it go, so that the
     * test can look at the database while a relay waits for SQS.
     */
    private static final class StallingSqs implements SqsAsyncClient {

        private final SqsAsyncClient real;
        private final java.util.concurrent.CountDownLatch inFlight = new java.util.concurrent.CountDownLatch(1);
        private final CompletableFuture<Void> gate = new CompletableFuture<>();

        StallingSqs(SqsAsyncClient real) {
            this.real = real;
        }

        void release() {
            gate.complete(null);
        }

        boolean awaitInFlight(Duration timeout) throws InterruptedException {
            return inFlight.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
            return real.getQueueUrl(request);
        }

        @Override
        public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
            inFlight.countDown();
            return gate.thenCompose(ignored -> real.sendMessageBatch(request));
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {
            release();
        }
    }
}
