package dev.couponhub.store.events;

import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.Queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service as configured for production (relay scheduled every 200 ms, queue {@code store-events-coupon}):
 * store changes reach the queue by themselves. A context of its own, closed afterwards, so that its relay does not
 * run while other ITs drive relays themselves.
 */
@AutoConfigureObservability
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.port=-1",
        "grpc.server.in-process-name=store-service-delivery-it",
})
class OutboxDeliveryIT {

    private static final String QUEUE = "store-events-coupon";
    private static final String STORES = "/api/v1/stores";

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "store", Component.MARIADB, Component.SQS);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private ApiClient api;
    private Queues queues;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        queues = new Queues();
    }

    @AfterEach
    void tearDown() {
        queues.close();
    }

    @Test
    void createUpdateDeleteThenEachEventArrivesOnTheQueue() throws Exception {
        long ownerId = 900_000_000L + System.nanoTime() % 100_000_000L;
        String[] owner = {"X-User-Id", Long.toString(ownerId), "X-User-Role", "OWNER"};
        ApiClient.Response created = api.post(STORES, Map.of("name", "Queue Cafe", "category", "CAFE",
                "address", "1 Queue-ro"), owner);
        assertThat(created.status()).isEqualTo(201);
        long storeId = created.json().path("id").asLong();
        assertThat(api.put(STORES + "/" + storeId, Map.of("name", "Queue Bistro", "category", "FOOD",
                "address", "1 Queue-ro"), owner).status()).isEqualTo(200);
        assertThat(api.delete(STORES + "/" + storeId, owner).status()).isEqualTo(204);

        List<JsonNode> messages = queues.receive(QUEUE, m -> m.path("payload").path("storeId").asLong() == storeId, 3,
                Duration.ofSeconds(30));

        assertThat(messages).hasSize(3);
        messages = messages.stream().sorted(Comparator.comparing(m -> Instant.parse(m.path("occurredAt").asText())))
                .toList();
        assertThat(messages).extracting(m -> m.path("type").asText())
                .containsExactly("STORE_UPDATED", "STORE_UPDATED", "STORE_DELETED");
        assertThat(messages.get(0).path("payload")).isEqualTo(ApiClient.JSON.readTree("{\"storeId\":" + storeId
                + ",\"ownerId\":" + ownerId + ",\"name\":\"Queue Cafe\",\"category\":\"CAFE\",\"version\":0}"));
        assertThat(messages.get(1).path("payload")).isEqualTo(ApiClient.JSON.readTree("{\"storeId\":" + storeId
                + ",\"ownerId\":" + ownerId + ",\"name\":\"Queue Bistro\",\"category\":\"FOOD\",\"version\":1}"));
        assertThat(messages.get(2).path("payload")).isEqualTo(ApiClient.JSON.readTree("{\"storeId\":" + storeId
                + ",\"ownerId\":" + ownerId + ",\"version\":2}"));

        // the relay records a send after SQS acknowledged it: a consumer may read the message first
        List<String> eventIds = messages.stream().map(m -> m.path("eventId").asText()).toList();
        List<Map<String, Object>> rows = List.of();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < deadline; ) {
            rows = jdbc.queryForList(
                    "SELECT event_id, sent_at FROM outbox_events WHERE aggregate_id = ? ORDER BY id", storeId);
            if (rows.stream().allMatch(r -> r.get("sent_at") != null)) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(rows).extracting(r -> r.get("event_id")).containsExactlyElementsOf(eventIds);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("sent_at")).isNotNull());

        assertThat(api.get("/actuator/prometheus").body()).contains("couponhub_outbox_sent_total");
    }
}
