package dev.couponhub.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.kit.outbox.TestEvents.ParcelLost;
import dev.couponhub.kit.outbox.TestEvents.ParcelShipped;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay as a service runs it: scheduled by the kit, nothing driven by the test. Events reach their queues by
 * themselves; while SQS is unreachable they wait, and they are delivered once it is back. SQS is reached through a
 * proxy the test switches off and on. A context of its own, closed afterwards, so that its relay does not run while
 * other ITs drive relays themselves.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(classes = OutboxTestApplications.JdbcService.class, properties = {
        "couponhub.outbox.table=kit_outbox_scheduled",
        "couponhub.outbox.relay.interval=100ms",
        "couponhub.outbox.relay.send-timeout=2s",
        "couponhub.outbox.relay.initial-backoff=200ms",
        "couponhub.outbox.relay.max-backoff=1s",
        "couponhub.outbox.relay.outage-backoff=200ms",
        "couponhub.outbox.relay.max-outage-backoff=1s",
})
class OutboxDeliveryIT {

    private static final Queues QUEUES = new Queues();
    private static final String QUEUE_A = QUEUES.createQueue("kit-scheduled-a");
    private static final String QUEUE_B = QUEUES.createQueue("kit-scheduled-b");
    private static final TcpProxy SQS_LINK = startProxy();

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "store", Component.MARIADB, Component.SQS);
        registry.add("kit.test.sqs-endpoint", () -> "http://127.0.0.1:" + SQS_LINK.port());
        // a YAML list, as a service may write it
        registry.add("couponhub.outbox.queues[0]", () -> QUEUE_A);
        registry.add("couponhub.outbox.queues[1]", () -> QUEUE_B);
        for (String property : OutboxTestApplications.PROPERTIES) {
            String[] nameAndValue = property.split("=", 2);
            registry.add(nameAndValue[0], () -> nameAndValue[1]);
        }
    }

    @AfterAll
    static void closeQueues() {
        QUEUES.close();
        SQS_LINK.close();
    }

    @Autowired
    Outbox outbox;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void setUp() throws IOException {
        OutboxTestTables.createFanOut(jdbc, "kit_outbox_scheduled");
        SQS_LINK.start();
    }

    @Test
    void appendThenEveryEventArrivesOnEveryQueueByItself() {
        long base = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 4);
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(i % 2 == 0 ? new ParcelLost(base + i) : new ParcelShipped(base + i, "p" + i, Instant.now()));
        }

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> outbox.appendAll(events));

        for (String queue : List.of(QUEUE_A, QUEUE_B)) {
            List<JsonNode> messages = QUEUES.receive(queue, m -> mine(m, base, 25), 25, Duration.ofSeconds(30));
            assertThat(messages).hasSize(25);
            assertThat(messages.stream().map(m -> m.path("eventId").asText()).distinct()).hasSize(25);
        }
        assertThat(jdbc.queryForList("SELECT sent_at FROM kit_outbox_scheduled WHERE aggregate_id BETWEEN ? AND ?",
                Object.class, base, base + 24)).hasSize(25).doesNotContainNull();
        assertThat(meters.get("couponhub.outbox.sent").counter().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void sqsUnreachableThenEventsWaitAndAreDeliveredOnceWhenItIsBack() throws Exception {
        long parcel = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 4);
        SQS_LINK.stop();
        double failuresBefore = failures();

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> outbox.append(new ParcelLost(parcel)));

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (failures() < failuresBefore + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(failures()).isGreaterThanOrEqualTo(failuresBefore + 2);
        assertThat(jdbc.queryForList("SELECT sent_at FROM kit_outbox_scheduled WHERE aggregate_id = ?", Object.class,
                parcel)).containsOnlyNulls();
        assertThat(attempts(parcel)).as("an outage counts no attempt of the event").isZero();

        SQS_LINK.start();

        for (String queue : List.of(QUEUE_A, QUEUE_B)) {
            List<JsonNode> messages = QUEUES.receive(queue, m -> mine(m, parcel, 1), 1, Duration.ofSeconds(30));
            assertThat(messages).hasSize(1);
            assertThat(QUEUES.drain(queue)).noneMatch(m -> mine(m, parcel, 1));
        }
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pendingGauge() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(pendingGauge()).isZero();
        Map<String, Object> counts = jdbc.queryForMap("SELECT COUNT(*) AS total, COUNT(sent_at) AS sent "
                + "FROM kit_outbox_scheduled WHERE aggregate_id = ?", parcel);
        assertThat(counts.values().stream().map(v -> ((Number) v).longValue()).collect(Collectors.toList()))
                .containsExactly(1L, 1L);
    }

    private double failures() {
        return meters.get("couponhub.outbox.send.failures").counter().count();
    }

    private double pendingGauge() {
        return meters.get("couponhub.outbox.pending").gauge().value();
    }

    private int attempts(long parcel) {
        Integer least = jdbc.queryForObject("SELECT MIN(attempts) FROM kit_outbox_scheduled WHERE aggregate_id = ?",
                Integer.class, parcel);
        return least == null ? 0 : least;
    }

    private static boolean mine(JsonNode message, long base, int count) {
        long parcel = message.path("payload").path("parcelId").asLong();
        return parcel >= base && parcel < base + count;
    }

    private static TcpProxy startProxy() {
        TcpProxy proxy = new TcpProxy(Queues.port());
        try {
            proxy.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return proxy;
    }
}
