package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * batch-service against the real MariaDB and ElasticMQ of the devstack, store-service played in-process. The schedule
 * is off: tests start runs themselves. Jobs commit every 2 coupon-days so that a run has several chunks.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.client.store-service.address=in-process:" + FakeStoreDirectory.NAME,
        "couponhub.stats.schedule.enabled=false",
        "couponhub.stats.chunk-size=2",
})
abstract class BatchItSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_ID = "1";
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000L * 1_000);

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "batch", Component.MARIADB, Component.SQS);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ApiClient api;

    final FakeStoreDirectory stores = FakeStoreDirectory.instance();

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    static long newId() {
        return IDS.incrementAndGet();
    }

    static String[] as(long userId, String role) {
        return new String[] {"X-User-Id", Long.toString(userId), "X-User-Role", role};
    }

    static String[] admin() {
        return new String[] {"X-User-Id", ADMIN_ID, "X-User-Role", "ADMIN"};
    }

    /** An event message as coupon-service sends it. */
    static String event(String eventId, String type, Instant occurredAt, Map<String, Object> payload) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", eventId);
        envelope.put("type", type);
        envelope.put("occurredAt", occurredAt.toString());
        envelope.put("payload", payload);
        try {
            return JSON.writeValueAsString(envelope);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String claimed(long couponId, long storeId, long issuedCouponId, Instant at) {
        return event(UUID.randomUUID().toString(), "COUPON_CLAIMED", at, Map.of("issuedCouponId", issuedCouponId,
                "couponId", couponId, "storeId", storeId, "storeName", "Store", "couponName", "Coupon " + couponId,
                "userId", 7, "issuedAt", at.toString(), "expiresAt", at.plusSeconds(86_400).toString()));
    }

    static String redeemed(long couponId, long storeId, long issuedCouponId, String orderId, long discount,
                           Instant at) {
        return event(UUID.randomUUID().toString(), "COUPON_REDEEMED", at, Map.of("issuedCouponId", issuedCouponId,
                "couponId", couponId, "storeId", storeId, "storeName", "Store", "couponName", "Coupon " + couponId,
                "userId", 7, "orderId", orderId, "orderAmount", discount * 10, "discountAmount", discount,
                "redeemedAt", at.toString()));
    }

    static String cancelled(long couponId, long storeId, long issuedCouponId, String orderId, long discount,
                            Instant at) {
        return event(UUID.randomUUID().toString(), "COUPON_REDEMPTION_CANCELLED", at, Map.of(
                "issuedCouponId", issuedCouponId, "couponId", couponId, "storeId", storeId, "storeName", "Store",
                "couponName", "Coupon " + couponId, "userId", 7, "orderId", orderId, "discountAmount", discount,
                "cancelledAt", at.toString()));
    }

    static String expired(long couponId, long storeId, long issuedCouponId, Instant at) {
        return event(UUID.randomUUID().toString(), "COUPON_EXPIRED", at, Map.of("issuedCouponId", issuedCouponId,
                "couponId", couponId, "storeId", storeId, "storeName", "Store", "couponName", "Coupon " + couponId,
                "userId", 7, "expiresAt", at.toString()));
    }

    static JsonNode assertProblem(ApiClient.Response response, int status, String code) {
        return ProblemAssertions.assertProblem(response, status, code, null);
    }
}
