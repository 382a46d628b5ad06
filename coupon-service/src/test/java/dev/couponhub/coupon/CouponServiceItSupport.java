package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the ITs: the whole service on a random port against a real MariaDB, Redis, SQS (ElasticMQ) and
 * Elasticsearch (through {@link #ELASTICSEARCH}) from the devstack; store-service is played by
 * {@link FakeStoreService} and user-service by {@link FakeUserService} over in-process gRPC. Every IT class extending
 * this one shares one Spring context. The outbox relay and the expiry job are not scheduled: tests drive them. The
 * search indexer runs.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.port=-1",
        "grpc.server.in-process-name=" + CouponServiceItSupport.GRPC_NAME,
        "grpc.client.store-service.address=in-process:" + FakeStoreService.NAME,
        "grpc.client.user-service.address=in-process:" + FakeUserService.NAME,
        "couponhub.outbox.relay.enabled=false",
        "couponhub.expiry.enabled=false",
        "server.tomcat.threads.max=300",
        "spring.datasource.hikari.maximum-pool-size=30",
        "couponhub.search.indexer.interval=200ms",
        "couponhub.search.indexer.max-backoff=2s",
})
public abstract class CouponServiceItSupport {

    public static final String GRPC_NAME = "coupon-service-it";
    protected static final String COUPONS = "/api/v1/coupons";

    /**
     * Elasticsearch as the service sees it: through a proxy that tests may switch off (Elasticsearch down) and on.
     * A test that switches it off switches it on again before it ends.
     */
    protected static final TcpProxy ELASTICSEARCH = startElasticsearchProxy();

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "coupon", Component.MARIADB, Component.REDIS, Component.SQS);
        registry.add("spring.elasticsearch.uris", () -> "http://127.0.0.1:" + ELASTICSEARCH.port());
    }

    private static TcpProxy startElasticsearchProxy() {
        URI elasticsearch = URI.create(TestDevstack.start(Component.ELASTICSEARCH).elasticsearchUrl());
        TcpProxy proxy = new TcpProxy(elasticsearch.getPort());
        try {
            proxy.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return proxy;
    }

    @LocalServerPort
    int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected StringRedisTemplate redis;

    protected ApiClient api;

    protected final FakeStoreService stores = FakeStoreService.instance();

    protected final FakeUserService users = FakeUserService.instance();

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    protected static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000L, Long.MAX_VALUE / 2);
    }

    protected static String token() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    protected static String[] as(long userId, String role) {
        return new String[] {"X-User-Id", Long.toString(userId), "X-User-Role", role};
    }

    protected static String[] owner(long userId) {
        return as(userId, "OWNER");
    }

    protected static String[] shopper(long userId) {
        return as(userId, "SHOPPER");
    }

    protected static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A valid coupon body: FIXED 1,000 won, open now for a day, valid 30 days after issue. */
    protected static Map<String, Object> couponBody(long storeId, String name, long total) {
        Map<String, Object> body = new HashMap<>();
        body.put("storeId", storeId);
        body.put("name", name);
        body.put("description", "Test coupon " + name);
        body.put("discountType", "FIXED");
        body.put("discountValue", 1000);
        body.put("totalQuantity", total);
        body.put("issueStartsAt", now().minus(Duration.ofMinutes(1)).toString());
        body.put("issueEndsAt", now().plus(Duration.ofDays(1)).toString());
        body.put("validDaysAfterIssue", 30);
        return body;
    }

    /** A store of a new owner; answers {ownerId, storeId}. */
    protected long[] newStore(String category) {
        long ownerId = newUserId();
        long storeId = stores.addStore(ownerId, "Store " + token(), category);
        return new long[] {ownerId, storeId};
    }

    /** Publishes a coupon and returns the answered Coupon. */
    protected JsonNode publish(long ownerId, Map<String, Object> body) {
        ApiClient.Response response = api.post(COUPONS, body, owner(ownerId));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    /** A new store with one open coupon of {@code total} units, {@code perUserLimit} each; answers the coupon id. */
    protected long openCoupon(long total, int perUserLimit) {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "Coupon " + token(), total);
        body.put("perUserLimit", perUserLimit);
        return publish(store[0], body).path("id").asLong();
    }

    protected ApiClient.Response claim(long couponId, long userId, String... extraHeaders) {
        String[] base = shopper(userId);
        String[] headers = new String[base.length + extraHeaders.length];
        System.arraycopy(base, 0, headers, 0, base.length);
        System.arraycopy(extraHeaders, 0, headers, base.length, extraHeaders.length);
        return api.send("POST", COUPONS + "/" + couponId + "/claim", null, headers);
    }

    protected static JsonNode assertProblem(ApiClient.Response response, int status, String code, String path) {
        return ProblemAssertions.assertProblem(response, status, code, path);
    }

    protected static List<String> errorFields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> {
            assertThat(error.path("message").asText()).isNotBlank();
            fields.add(error.path("field").asText());
        });
        return fields;
    }

    protected long issuedCount(long couponId) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM issued_coupons WHERE coupon_id = ?", Long.class,
                couponId);
        return count == null ? 0 : count;
    }

    protected List<Map<String, Object>> outboxRows(long couponId) {
        return jdbc.queryForList("SELECT id, event_id, destination, type, payload, sent_at FROM outbox_events "
                + "WHERE aggregate_id = ? ORDER BY id", couponId);
    }
}
