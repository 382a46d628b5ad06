package dev.couponhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * store-service with its database behind a proxy that the test cuts: while MariaDB cannot be reached, reads and
 * writes answer 503 {@code DEPENDENCY_UNAVAILABLE} (problem+json, nothing about the failure) within the pool's
 * connection time-out, and the service serves again once the database is back (within seconds: a pooled connection
 * broken during the outage may fail one more request before the pool drops it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.port=-1",
        "grpc.server.in-process-name=store-service-database-down-it",
        "couponhub.outbox.relay.enabled=false",
        "spring.datasource.hikari.connection-timeout=1000",
        "spring.datasource.hikari.validation-timeout=500",
})
class DatabaseDownIT {

    private static final TcpProxy DATABASE;

    static {
        Devstack stack = TestDevstack.start(Component.MARIADB, Component.SQS);
        DATABASE = new TcpProxy(stack.mariadbPort());
        try {
            DATABASE.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "store", Component.MARIADB, Component.SQS);
        String direct = TestDevstack.start(Component.MARIADB).jdbcUrl("store_db");
        String proxied = direct.replace(":" + TestDevstack.start(Component.MARIADB).mariadbPort() + "/",
                ":" + DATABASE.port() + "/");
        assertThat(proxied).isNotEqualTo(direct);
        registry.add("spring.datasource.url", () -> proxied);
    }

    @AfterAll
    static void closeProxy() {
        DATABASE.close();
    }

    @LocalServerPort
    int port;

    @Test
    void databaseUnreachableThenDependencyUnavailableAndBackWhenItReturns() throws IOException {
        ApiClient api = new ApiClient(port);
        String[] owner = {"X-User-Id", "4242", "X-User-Role", "OWNER"};
        ApiClient.Response created = api.post("/api/v1/stores",
                Map.of("name", "Outage Cafe", "category", "CAFE", "address", "1 Test-ro, Seoul"), owner);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String path = "/api/v1/stores/" + created.json().path("id").asLong();

        DATABASE.stop();
        try {
            for (ApiClient.Response refused : new ApiClient.Response[] {api.get(path),
                    api.post("/api/v1/stores", Map.of("name", "Second", "category", "CAFE", "address", "2 Test-ro"),
                            owner)}) {
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.json().path("code").asText()).isEqualTo("DEPENDENCY_UNAVAILABLE");
                assertThat(refused.body()).doesNotContain("Exception").doesNotContain("jdbc")
                        .doesNotContain(Integer.toString(DATABASE.port()));
            }
        } finally {
            DATABASE.start();
        }

        // a pooled connection that broke during the outage may still fail one request (503, and the pool drops it);
        // within seconds every request is served again
        ApiClient.Response again = api.get(path);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (again.status() == 503 && System.nanoTime() < deadline) {
            assertThat(again.json().path("code").asText()).isEqualTo("DEPENDENCY_UNAVAILABLE");
            sleep(100);
            again = api.get(path);
        }
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("name").asText()).isEqualTo("Outage Cafe");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
