package dev.couponhub.ai;

import static dev.couponhub.ai.Problems.as;
import static dev.couponhub.ai.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;

import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** coupon-service unreachable (a closed port): recommendations answer 503 within a second, again and again. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CouponServiceDownIT {

    private static final String PATH = "/api/v1/recommendations/coupons";

    @DynamicPropertySource
    static void couponService(DynamicPropertyRegistry registry) {
        int closed = closedPort();
        registry.add("grpc.client.coupon-service.address", () -> "static://127.0.0.1:" + closed);
    }

    @LocalServerPort
    int port;

    @Test
    void recommendWhenCouponServiceDownThenDependencyUnavailableFast() {
        ApiClient api = new ApiClient(port);
        for (int i = 0; i < 8; i++) { // past the breaker's minimum number of calls: it opens and answers at once
            long started = System.nanoTime();
            ApiClient.Response response = api.get(PATH, as(77, "SHOPPER"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertProblem(response, 503, "DEPENDENCY_UNAVAILABLE", PATH);
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
