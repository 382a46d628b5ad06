package dev.couponhub.gateway;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway tells operators about a proxied request: the trace continues to the backend, the access-log line
 * carries its trace id, and the request is measured once as a whole (http.server.requests) and once per route
 * (http.client.requests), not a third time by Spring Cloud Gateway's own metrics filter.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIT extends GatewayItSupport {

    private static final long WAIT_MILLIS = 10_000;

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Polls until the condition holds or the wait is over; the caller asserts afterwards. */
    private static void awaitUpTo(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void routedRequestInATraceThenBackendContinuesTheTraceAndTheAccessLogNamesIt(CapturedOutput output) {
        String traceId = randomHex(16);
        String callerSpanId = randomHex(8);
        String path = "/api/v1/stores/traced-" + randomHex(4);

        JsonNode echo = json(echoOf(client.get().uri(path)
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")));

        JsonNode traceparent = echo.path("headers").path("traceparent");
        assertThat(traceparent.size()).as("one traceparent header, the gateway's").isEqualTo(1);
        assertThat(traceparent.get(0).asText())
                .startsWith("00-" + traceId + "-")
                .doesNotContain(callerSpanId);

        Supplier<String> accessLine = () -> output.getAll().lines()
                .filter(line -> line.contains("GET " + path + " status=200"))
                .findFirst().orElse("");
        awaitUpTo(() -> !accessLine.get().isEmpty());
        assertThat(accessLine.get()).as("the access-log line of the request").contains(traceId);
    }

    @Test
    void proxiedRequestThenMeasuredAsAWholeAndPerRouteOnly() {
        client.get().uri("/api/v1/stores").exchange().expectStatus().isOk();

        Supplier<String> metrics = () -> client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        awaitUpTo(() -> metrics.get().contains("spring_cloud_gateway_route_id=\"stores\""));

        String scraped = metrics.get();
        assertThat(scraped).contains("http_server_requests_seconds_count{");
        assertThat(scraped.lines().filter(line -> line.startsWith("http_client_requests_seconds_count{")))
                .anyMatch(line -> line.contains("spring_cloud_gateway_route_id=\"stores\""));
        assertThat(scraped).doesNotContain("spring_cloud_gateway_requests");
    }
}
