package dev.couponhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ProblemAssertions;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the ITs: the whole service on a random port against a real MariaDB and a real SQS (ElasticMQ) from the
 * devstack, with metrics and tracing on as in production. Every IT class extending this one shares one Spring
 * context. Its outbox relay is not scheduled, so that relay tests drive relays themselves; {@code
 * OutboxDeliveryIT} proves the scheduled relay in a context of its own.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.port=-1",
        "grpc.server.in-process-name=" + StoreServiceItSupport.GRPC_NAME,
        "couponhub.outbox.relay.enabled=false",
        "spring.jpa.properties.hibernate.generate_statistics=true",
        "logging.level.org.hibernate.engine.internal.StatisticalLoggingSessionEventListener=WARN",
})
public abstract class StoreServiceItSupport {

    public static final String GRPC_NAME = "store-service-it";
    protected static final String STORES = "/api/v1/stores";

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "store", Component.MARIADB, Component.SQS);
    }

    @LocalServerPort
    int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    /** A user id no other test uses (the gateway vouches for ids; this service keeps no accounts). */
    protected static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000L, Long.MAX_VALUE / 2);
    }

    /** A short token to make names unique to one test. */
    protected static String token() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** The headers the gateway sets for a signed-in caller. */
    protected static String[] as(long userId, String role) {
        return new String[] {"X-User-Id", Long.toString(userId), "X-User-Role", role};
    }

    protected static String[] owner(long userId) {
        return as(userId, "OWNER");
    }

    protected static Map<String, Object> storeBody(String name, String category, String address, String description) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("category", category);
        body.put("address", address);
        if (description != null) {
            body.put("description", description);
        }
        return body;
    }

    /** Creates a store as {@code ownerId} and returns the answered Store. */
    protected JsonNode createStore(long ownerId, String name, String category) {
        ApiClient.Response response = api.post(STORES, storeBody(name, category, "1 Test-ro, Seoul", null),
                owner(ownerId));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    /** A problem+json answer with every member the conventions require, and no stack trace. */
    protected static JsonNode assertProblem(ApiClient.Response response, int status, String code, String path) {
        return ProblemAssertions.assertProblem(response, status, code, path);
    }

    /** The fields named in a VALIDATION_FAILED answer's {@code errors}; each has a message. */
    protected static List<String> errorFields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> {
            assertThat(error.path("message").asText()).isNotBlank();
            fields.add(error.path("field").asText());
        });
        return fields;
    }

    /** The outbox rows of one store, oldest first: type and payload. */
    protected List<Map<String, Object>> outboxRows(long storeId) {
        return jdbc.queryForList("SELECT id, event_id, type, payload, sent_at, attempts FROM outbox_events "
                + "WHERE aggregate_id = ? ORDER BY id", storeId);
    }
}
