package dev.couponhub.gateway;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway while its own dependencies are down: nothing listens where Redis should be, and
 * notification-service (the stream's backend) is down. store-service and the key set are served by the
 * test backend.
 */
class GatewayWithoutDependenciesIT extends RunningGatewaySupport {

    private static final TestBackend BACKEND = TestBackend.start();
    private static final TestSigningKey KEY = TestSigningKey.generate("key-1");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKEND.publishKeys(KEY);
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> TestBackend.closedPortUri().getPort());
        String closed = TestBackend.closedPortUri().toString();
        for (String service : List.of("user", "coupon", "notification", "batch", "ai")) {
            registry.add("couponhub.gateway.services." + service, () -> closed);
        }
        registry.add("couponhub.gateway.services.store", () -> BACKEND.uri().toString());
        registry.add("couponhub.gateway.jwt.jwks-uri", () -> BACKEND.jwksUri().toString());
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void redisDownThenRequestsPassWithoutRateLimitQuickly() {
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();

            client.get().uri("/api/v1/stores").exchange().expectStatus().isOk();
            client.get().uri("/api/v1/stores/mine")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY.token(11, "OWNER"))
                    .exchange().expectStatus().isOk();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void notificationStreamWhenBackendDownThenDependencyUnavailableQuickly() {
        long start = System.nanoTime();

        client.get().uri("/api/v1/notifications/stream")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY.token(12, "SHOPPER"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("DEPENDENCY_UNAVAILABLE")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("notification-service"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void redisDownThenGatewayHealthReportsDown() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.status").isEqualTo("DOWN");
    }
}
