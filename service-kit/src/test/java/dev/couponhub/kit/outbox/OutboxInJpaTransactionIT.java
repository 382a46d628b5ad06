package dev.couponhub.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.devstack.Component;
import dev.couponhub.kit.outbox.TestEvents.ParcelLost;
import dev.couponhub.kit.outbox.TestEvents.ParcelShipped;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.TestDevstack;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * A service with JPA (like coupon- and store-service) whose outbox fans out to two queues, as coupon-service's does:
 * the rows the kit writes with JDBC are part of the service's JPA transaction, commit with its entities or not at
 * all, and only committed rows are ever sent. The relay is not scheduled here: the tests run it.
 */
@SpringBootTest(classes = OutboxTestApplications.JpaService.class, properties = {
        "couponhub.outbox.table=kit_outbox_fanout",
        "couponhub.outbox.relay.enabled=false",
})
class OutboxInJpaTransactionIT {

    private static final Queues QUEUES = new Queues();
    private static final String QUEUE_A = QUEUES.createQueue("kit-fanout-a");
    private static final String QUEUE_B = QUEUES.createQueue("kit-fanout-b");

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "store", Component.MARIADB, Component.SQS);
        registry.add("couponhub.outbox.queues", () -> QUEUE_A + "," + QUEUE_B);
        for (String property : OutboxTestApplications.PROPERTIES) {
            String[] nameAndValue = property.split("=", 2);
            registry.add(nameAndValue[0], () -> nameAndValue[1]);
        }
    }

    @AfterAll
    static void closeQueues() {
        QUEUES.close();
    }

    @Autowired
    Outbox outbox;
    @Autowired
    OutboxRelay relay;
    @Autowired
    OutboxProperties properties;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    ObjectMapper json;
    @Autowired
    MeterRegistry meters;
    @Autowired
    SqsAsyncClient sqs;
    @PersistenceContext
    EntityManager entityManager;

    private TransactionTemplate tx;

    @BeforeEach
    void setUp() {
        OutboxTestTables.createFanOut(jdbc, "kit_outbox_fanout");
        OutboxTestTables.createParcels(jdbc);
        tx = new TransactionTemplate(transactionManager);
    }

    @Test
    void contextThenTheServicesJpaTransactionManagerAndNoEntityOfTheKit() {
        assertThat(transactionManager).isInstanceOf(JpaTransactionManager.class);
        assertThat(entityManager.getMetamodel().getEntities()).extracting(type -> (Object) type.getJavaType())
                .containsExactly(Parcel.class);
    }

    @Test
    void appendWithAnEntityThenBothCommittedAndOneRowForEveryQueue() throws Exception {
        long id = newId();
        Instant shippedAt = Instant.parse("2026-11-21T09:00:00.5Z");

        tx.executeWithoutResult(status -> {
            entityManager.persist(new Parcel(id, "books"));
            outbox.append(new ParcelShipped(id, "books", shippedAt));
        });

        assertThat(jdbc.queryForObject("SELECT label FROM kit_outbox_parcels WHERE id = ?", String.class, id))
                .isEqualTo("books");
        List<Map<String, Object>> rows = rows(id);
        assertThat(rows).hasSize(1);
        assertThat(rows).extracting(row -> row.get("destination")).as("NULL: every queue").containsOnlyNulls();
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("type")).isEqualTo("PARCEL_SHIPPED");
            assertThat(json.readTree((String) row.get("payload"))).isEqualTo(json.readTree(
                    "{\"parcelId\":" + id + ",\"label\":\"books\",\"shippedAt\":\"2026-11-21T09:00:00.500Z\"}"));
            assertThat(row.get("sent_at")).isNull();
            assertThat(row.get("attempts")).isEqualTo(0);
            assertThat(row.get("next_attempt_at")).isEqualTo(row.get("occurred_at"));
        });
        assertThat((String) rows.get(0).get("event_id")).hasSize(36);
    }

    @Test
    void appendThenTheRowIsWrittenOnTheJpaTransactionsConnection() throws Exception {
        long id = newId();

        tx.executeWithoutResult(status -> {
            entityManager.persist(new Parcel(id, "glass"));
            entityManager.flush();
            outbox.append(new ParcelLost(id));

            // the JPA session sees the uncommitted row, another connection does not
            Number inSession = (Number) entityManager.createNativeQuery(
                    "SELECT COUNT(*) FROM kit_outbox_fanout WHERE aggregate_id = ?1").setParameter(1, id)
                    .getSingleResult();
            assertThat(inSession.longValue()).isEqualTo(1);
            assertThat(countOnOwnConnection(id)).isZero();
        });

        assertThat(countOnOwnConnection(id)).isEqualTo(1);
    }

    @Test
    void appendWhenTheTransactionRollsBackThenNeitherEntityNorEventAndNothingIsSent() {
        long id = newId();

        tx.executeWithoutResult(status -> {
            entityManager.persist(new Parcel(id, "vase"));
            outbox.append(new ParcelShipped(id, "vase", Instant.now()));
            status.setRollbackOnly();
        });

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM kit_outbox_parcels WHERE id = ?", Long.class, id)).isZero();
        assertThat(rows(id)).isEmpty();
        drainDue(relay);
        for (String queue : List.of(QUEUE_A, QUEUE_B)) {
            assertThat(QUEUES.drain(queue)).noneMatch(m -> m.path("payload").path("parcelId").asLong() == id);
        }
    }

    @Test
    void appendWhenTheEntityFailsAtCommitThenTheEventGoesWithIt() {
        long id = newId();
        tx.executeWithoutResult(status -> entityManager.persist(new Parcel(id, "first")));

        // the event is written at once, the entity only at the flush before commit, which fails: duplicate id
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            outbox.append(new ParcelLost(id));
            entityManager.persist(new Parcel(id, "second"));
        })).isInstanceOf(DataIntegrityViolationException.class);

        assertThat(rows(id)).isEmpty();
    }

    @Test
    void appendAllThenRowsInTheOrderOfTheEventsEachEventWithItsOwnId() {
        long base = newId();
        List<OutboxEvent> events = List.of(new ParcelLost(base), new ParcelLost(base + 1), new ParcelLost(base + 2));

        tx.executeWithoutResult(status -> outbox.appendAll(events));

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, event_id, destination, aggregate_id "
                + "FROM kit_outbox_fanout WHERE aggregate_id BETWEEN ? AND ? ORDER BY id", base, base + 2);
        assertThat(rows).extracting(row -> ((Number) row.get("aggregate_id")).longValue())
                .containsExactly(base, base + 1, base + 2);
        assertThat(rows).extracting(row -> row.get("destination")).containsOnlyNulls();
        Set<Object> eventIds = rows.stream().map(row -> row.get("event_id")).collect(Collectors.toSet());
        assertThat(eventIds).hasSize(3);
        // time-ordered (version 7): in the order they were appended, as the consumers' unique keys like them
        List<java.util.UUID> ids = rows.stream().map(row -> java.util.UUID.fromString((String) row.get("event_id")))
                .toList();
        assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
        assertThat(ids.stream().map(java.util.UUID::toString).toList()).isSorted();
    }

    @Test
    void appendAllWhenNothingToAppendThenNothingWritten() {
        long before = jdbc.queryForObject("SELECT COUNT(*) FROM kit_outbox_fanout", Long.class);

        tx.executeWithoutResult(status -> outbox.appendAll(List.of()));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM kit_outbox_fanout", Long.class)).isEqualTo(before);
    }

    @Test
    void relayThenEachQueueGetsEveryEventOnceAsTheEnvelopeAndTheRowsAreMarkedSent() throws Exception {
        long base = newId();
        Instant shippedAt = Instant.parse("2026-11-21T10:15:30Z");
        double sentBefore = meters.get("couponhub.outbox.sent").counter().count();
        tx.executeWithoutResult(status -> outbox.appendAll(List.of(new ParcelShipped(base, "a \"quoted\" label",
                shippedAt), new ParcelLost(base + 1), new ParcelShipped(base + 2, "Café", shippedAt))));
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT event_id, type, occurred_at FROM kit_outbox_fanout "
                + "WHERE aggregate_id BETWEEN ? AND ? ORDER BY id", base, base + 2);

        drainDue(relay);

        for (String queue : List.of(QUEUE_A, QUEUE_B)) {
            List<JsonNode> messages = QUEUES.receive(queue, m -> {
                long parcel = m.path("payload").path("parcelId").asLong();
                return parcel >= base && parcel <= base + 2;
            }, 3, Duration.ofSeconds(10));
            assertThat(messages).hasSize(3);
            for (Map<String, Object> row : rows) {
                JsonNode message = messages.stream()
                        .filter(m -> m.path("eventId").asText().equals(row.get("event_id"))).findFirst().orElseThrow();
                List<String> names = new ArrayList<>();
                message.fieldNames().forEachRemaining(names::add);
                assertThat(names).containsExactly("eventId", "type", "occurredAt", "payload");
                assertThat(message.path("type").asText()).isEqualTo(row.get("type"));
                assertThat(Instant.parse(message.path("occurredAt").asText()))
                        .isEqualTo(((LocalDateTime) row.get("occurred_at")).toInstant(ZoneOffset.UTC));
            }
            JsonNode shipped = messages.stream().filter(m -> m.path("payload").path("parcelId").asLong() == base)
                    .findFirst().orElseThrow();
            assertThat(shipped.path("payload")).isEqualTo(json.readTree("{\"parcelId\":" + base
                    + ",\"label\":\"a \\\"quoted\\\" label\",\"shippedAt\":\"2026-11-21T10:15:30Z\"}"));
            assertThat(QUEUES.drain(queue)).noneMatch(m -> {
                long parcel = m.path("payload").path("parcelId").asLong();
                return parcel >= base && parcel <= base + 2;
            });
        }
        assertThat(jdbc.queryForList("SELECT sent_at, attempts FROM kit_outbox_fanout WHERE aggregate_id BETWEEN ? "
                + "AND ?", base, base + 2)).hasSize(3).allSatisfy(row -> {
                    assertThat(row.get("sent_at")).isNotNull();
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
        assertThat(meters.get("couponhub.outbox.sent").counter().count()).isGreaterThanOrEqualTo(sentBefore + 3);
    }

    @Test
    void relayThenOldestFirstAtMostABatchPerRun() {
        drainDue(relay);
        long base = newId();
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(new ParcelLost(base + i));
        }
        tx.executeWithoutResult(status -> outbox.appendAll(events));
        OutboxRelay smallBatches = new OutboxRelay(jdbc, transactionManager, sqs, new OutboxProperties(
                properties.table(), null, properties.queues(), properties.retention(), properties.purgeInterval(),
                new OutboxProperties.Relay(false, Duration.ofMillis(200), 3, Duration.ofSeconds(5),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), 1, 10, Duration.ofSeconds(30),
                        Duration.ofSeconds(1), Duration.ofSeconds(2))), java.time.Clock.systemUTC(),
                new SimpleMeterRegistry());

        OutboxRelay.Outcome first = smallBatches.relayOnce();

        assertThat(first).isEqualTo(new OutboxRelay.Outcome(3, 3));
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT aggregate_id, sent_at FROM kit_outbox_fanout "
                + "WHERE aggregate_id BETWEEN ? AND ? ORDER BY id", base, base + 3);
        assertThat(rows).extracting(row -> row.get("sent_at") != null)
                .containsExactly(true, true, true, false);

        assertThat(smallBatches.relayOnce()).isEqualTo(new OutboxRelay.Outcome(1, 1));
        assertThat(smallBatches.relayOnce()).isEqualTo(new OutboxRelay.Outcome(0, 0));
    }

    @Test
    void relayWhenARowNamesItsQueueThenItGoesToThatQueueOnly() {
        drainDue(relay);
        long parcel = newId();
        // a row as versions before one row per event wrote it: one per queue, each naming its queue
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        jdbc.update("INSERT INTO kit_outbox_fanout (event_id, destination, type, aggregate_id, payload, occurred_at, "
                        + "attempts, next_attempt_at) VALUES (?, ?, 'PARCEL_LOST', ?, ?, ?, 0, ?)",
                java.util.UUID.randomUUID().toString(), QUEUE_B, parcel, "{\"parcelId\":" + parcel + "}", now, now);

        assertThat(relay.relayOnce()).isEqualTo(new OutboxRelay.Outcome(1, 1));

        assertThat(QUEUES.receive(QUEUE_B, m -> m.path("payload").path("parcelId").asLong() == parcel, 1,
                Duration.ofSeconds(10))).hasSize(1);
        assertThat(QUEUES.drain(QUEUE_A)).noneMatch(m -> m.path("payload").path("parcelId").asLong() == parcel);
    }

    @Test
    void relayWhenOneQueueRefusesThenTheEventStaysUnsentAndLaterReachesEveryQueueAgain() {
        drainDue(relay);
        long parcel = newId();
        tx.executeWithoutResult(status -> outbox.append(new ParcelLost(parcel)));
        OutboxRelay oneQueueMissing = relayFor(List.of(QUEUE_A, "kit-fanout-no-such-queue"));

        assertThat(oneQueueMissing.relayOnce()).isEqualTo(new OutboxRelay.Outcome(1, 0));

        assertThat(QUEUES.receive(QUEUE_A, m -> m.path("payload").path("parcelId").asLong() == parcel, 1,
                Duration.ofSeconds(10))).hasSize(1);
        // a queue that cannot be reached is an outage, not a refusal of the event: no attempt counted, due at once
        Map<String, Object> row = rows(parcel).get(0);
        assertThat(row.get("sent_at")).isNull();
        assertThat(row.get("attempts")).isEqualTo(0);
        assertThat(((LocalDateTime) row.get("next_attempt_at")).toInstant(ZoneOffset.UTC))
                .isBeforeOrEqualTo(Instant.now());

        // then every queue gets it, the one that already had it too (consumers deduplicate by eventId)
        assertThat(relayFor(List.of(QUEUE_A, QUEUE_B)).relayOnce()).isEqualTo(new OutboxRelay.Outcome(1, 1));
        for (String queue : List.of(QUEUE_A, QUEUE_B)) {
            assertThat(QUEUES.receive(queue, m -> m.path("payload").path("parcelId").asLong() == parcel, 1,
                    Duration.ofSeconds(10))).hasSize(1);
        }
        assertThat(rows(parcel).get(0).get("sent_at")).isNotNull();
    }

    @Test
    void refreshPendingThenTheGaugeCountsTheRowsNotYetSent() {
        tx.executeWithoutResult(status -> outbox.append(new ParcelLost(newId())));

        long counted = relay.refreshPending();

        Long unsent = jdbc.queryForObject("SELECT COUNT(*) FROM kit_outbox_fanout WHERE sent_at IS NULL", Long.class);
        assertThat(counted).isEqualTo(unsent).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("couponhub.outbox.pending").gauge().value()).isEqualTo((double) unsent);

        drainDue(relay);
        assertThat(relay.refreshPending()).isZero();
        assertThat(meters.get("couponhub.outbox.pending").gauge().value()).isZero();
    }

    private OutboxRelay relayFor(List<String> queues) {
        return new OutboxRelay(jdbc, transactionManager, sqs, new OutboxProperties(properties.table(), null, queues,
                properties.retention(), properties.purgeInterval(), new OutboxProperties.Relay(false,
                Duration.ofMillis(200), 100, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2), 1, 10,
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(2))),
                java.time.Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private long countOnOwnConnection(long aggregateId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT COUNT(*) FROM kit_outbox_fanout WHERE aggregate_id = ?")) {
            count.setLong(1, aggregateId);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Map<String, Object>> rows(long aggregateId) {
        return jdbc.queryForList("SELECT id, event_id, destination, type, payload, occurred_at, sent_at, attempts, "
                + "next_attempt_at FROM kit_outbox_fanout WHERE aggregate_id = ? ORDER BY id", aggregateId);
    }

    private static void drainDue(OutboxRelay relay) {
        while (relay.relayOnce().claimed() > 0) {
            // next batch
        }
    }

    private static long newId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 4);
    }
}
