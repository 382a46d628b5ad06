package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;

import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** store-service unreachable (a closed port): publishing answers 503 within a second and publishes nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.port=-1",
        "grpc.server.in-process-name=coupon-service-down-it",
        "couponhub.outbox.relay.enabled=false",
        "couponhub.expiry.enabled=false",
        "couponhub.store-events.listener-enabled=false",
        // no Elasticsearch here: nothing is published, so there is nothing to index
        "couponhub.search.indexer.enabled=false",
})
class StoreServiceDownIT {

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "coupon", Component.MARIADB, Component.REDIS, Component.SQS);
        int closed = closedPort();
        registry.add("grpc.client.store-service.address", () -> "static://127.0.0.1:" + closed);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void publishWhenStoreServiceDownThenDependencyUnavailableFastAndNothingPublished() {
        long storeId = 424_242_424L;
        Long before = jdbc.queryForObject("SELECT COUNT(*) FROM coupons", Long.class);
        for (int i = 0; i < 8; i++) { // past the breaker's minimum number of calls: it opens and answers at once
            long started = System.nanoTime();
            ApiClient.Response response = api.post("/api/v1/coupons",
                    CouponServiceItSupport.couponBody(storeId, "x", 1), CouponServiceItSupport.owner(77));
            long millis = (System.nanoTime() - started) / 1_000_000;
            CouponServiceItSupport.assertProblem(response, 503, "DEPENDENCY_UNAVAILABLE", "/api/v1/coupons");
            assertThat(millis).as("answered in %d ms", millis).isLessThan(1000);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM coupons", Long.class)).isEqualTo(before);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
