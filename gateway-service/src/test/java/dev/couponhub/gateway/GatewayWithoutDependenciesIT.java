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
 * The gateway while most services are down (notification-service, the stream's backend, among them), with no Redis
 * or other store of its own anywhere: it still starts, reports itself healthy, and routes and rate limits what it can
 * reach. store-service and the key set are served by the test backend.
 */
class GatewayWithoutDependenciesIT extends RunningGatewaySupport {

    private static final TestBackend BACKEND = TestBackend.start();
    private static final TestSigningKey KEY = TestSigningKey.generate("key-1");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKEND.publishKeys(KEY);
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
    void noRedisAnywhereThenRequestsRoutedAndRateLimitedInMemory() {
        for (int i = 0; i < 3; i++) {
            client.get().uri("/api/v1/stores").exchange()
                    .expectStatus().isOk()
                    .expectHeader().exists("X-RateLimit-Remaining");
            client.get().uri("/api/v1/stores/mine")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY.token(11, "OWNER"))
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().exists("X-RateLimit-Remaining");
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
    void servicesDownThenGatewayHealthStillUp() {
        // the gateway's health is its own: a service that is down is answered per route (503), not by taking every
        // gateway instance out of the load balancer
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }
}
