package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** store-service unreachable (a closed port): subscribing answers 503 within a second, again and again. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "couponhub.notification.listener-enabled=false",
        "couponhub.notification.mail.enabled=false",
})
class StoreServiceDownIT {

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "notification", Component.MARIADB, Component.REDIS, Component.SQS,
                Component.SMTP);
        int closed = closedPort();
        registry.add("grpc.client.store-service.address", () -> "static://127.0.0.1:" + closed);
        registry.add("grpc.client.user-service.address", () -> "static://127.0.0.1:" + closed);
    }

    @LocalServerPort
    int port;

    @Test
    void subscribeWhenStoreServiceDownThenDependencyUnavailableFast() {
        ApiClient api = new ApiClient(port);
        // the first call also pays for a cold JVM (class loading of the web stack and of gRPC): answered, not timed
        NotificationItSupport.assertProblem(api.post(NotificationItSupport.SUBSCRIPTIONS, Map.of("storeId", 4242),
                NotificationItSupport.as(77)), 503, "DEPENDENCY_UNAVAILABLE", NotificationItSupport.SUBSCRIPTIONS);
        for (int i = 0; i < 8; i++) { // past the breaker's minimum number of calls: it opens and answers at once
            long started = System.nanoTime();
            ApiClient.Response response = api.post(NotificationItSupport.SUBSCRIPTIONS, Map.of("storeId", 4242),
                    NotificationItSupport.as(77));
            long millis = (System.nanoTime() - started) / 1_000_000;
            NotificationItSupport.assertProblem(response, 503, "DEPENDENCY_UNAVAILABLE",
                    NotificationItSupport.SUBSCRIPTIONS);
            assertThat(millis).as("answered in %d ms", millis).isLessThan(1000);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
