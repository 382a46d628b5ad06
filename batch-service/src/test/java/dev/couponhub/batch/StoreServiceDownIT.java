package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;

import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * store-service unreachable (a closed port): an owner's statistics answer 503 DEPENDENCY_UNAVAILABLE, and
 * batch-service itself stays healthy, so that an outage of store-service never restarts it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "couponhub.stats.schedule.enabled=false")
class StoreServiceDownIT {

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "batch", Component.MARIADB, Component.SQS);
        int closed = closedPort();
        registry.add("grpc.client.store-service.address", () -> "static://127.0.0.1:" + closed);
    }

    @LocalServerPort
    int port;

    @Test
    void statsWhenStoreServiceDownThenDependencyUnavailableAndServiceStillHealthy() {
        ApiClient api = new ApiClient(port);
        String path = "/api/v1/stats/stores/4242/coupons?from=2026-11-01&to=2026-11-07";

        ApiClient.Response stats = api.get(path, "X-User-Id", "77", "X-User-Role", "OWNER");
        assertThat(stats.status()).as(stats.toString()).isEqualTo(503);
        assertThat(stats.json().path("code").asText()).isEqualTo("DEPENDENCY_UNAVAILABLE");

        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
