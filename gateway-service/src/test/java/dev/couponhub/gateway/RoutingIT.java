package dev.couponhub.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.couponhub.gateway.testing.RawHttp;
import dev.couponhub.gateway.testing.TestBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is routed where: path tricks towards a service's actuator rejected, unknown paths and methods
 * answered with a problem, the notification stream passed on event by event, past the time limit of
 * ordinary routes, and a long download on an ordinary route never cut off (the time limit is for the
 * response headers only).
 */
class RoutingIT extends GatewayItSupport {

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/users/../../actuator/health",
            "/api/v1/users/../../actuator/env",
            "/api/v1/stores/%2e%2e/%2e%2e/actuator/env",
            "/api/v1/stores/%2E%2E/%2E%2E/actuator/env",
            "/api/v1/coupons/.%2e/.%2e/actuator/env",
            "/api/v1/stores/..;/..;/actuator/env",
            "/api/v1/stores;/../../actuator/env",
            "/api/v1/users/..%2f..%2factuator/env",
            "/api/v1/users/%2F..%2F..%2Factuator%2Fenv",
            "/api/v1/users/..%5c..%5cactuator/env",
            "/api/v1/users/%252e%252e/%252e%252e/actuator/env",
            "/api/v1/auth/./../../actuator/env"
    })
    void pathTricksTowardsServiceActuatorThenRejectedAndBackendNotCalled(String target) {
        RawHttp.Response response = RawHttp.get(port, target);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response.body()).contains("\"code\":\"VALIDATION_FAILED\"");
        assertThat(BACKEND.receivedPaths()).noneMatch(path -> path.toLowerCase().contains("actuator"));
    }

    @Test
    void unknownPathThenNotFoundProblem() {
        for (String path : List.of("/api/v2/stores", "/api/v1/unknown", "/nothing/here", "/fallback/user")) {
            EntityExchangeResult<byte[]> result = get(path, null);

            assertProblem(result, HttpStatus.NOT_FOUND, "NOT_FOUND");
            assertThat(json(result).path("instance").asText()).isEqualTo(path);
        }
    }

    @Test
    void wrongMethodOnGatewayEndpointThenMethodNotAllowedProblem() {
        EntityExchangeResult<byte[]> result = client.post().uri("/actuator/health").exchange()
                .expectBody().returnResult();

        assertProblem(result, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
    }

    @Test
    void downloadLastingLongerThanTheTimeLimitThenDeliveredWhole() {
        assertThat(Duration.ofMillis(TestBackend.SLOW_DOWNLOAD_INTERVAL_MILLIS * (TestBackend.SLOW_DOWNLOAD_LINES - 1)))
                .as("the test backend's download outlasts the time limit")
                .isGreaterThan(TIME_LIMIT);

        EntityExchangeResult<byte[]> result = get("/api/v1/coupons/slow-download", null);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(new String(result.getResponseBody(), StandardCharsets.UTF_8).lines())
                .hasSize(TestBackend.SLOW_DOWNLOAD_LINES)
                .endsWith("line," + (TestBackend.SLOW_DOWNLOAD_LINES - 1));
    }

    @Test
    void notificationStreamThenEventsArriveUnbufferedAndOutliveTheTimeLimit() {
        String token = KEY.token(newUserId(), "SHOPPER");
        long start = System.nanoTime();
        List<Long> arrivals = new ArrayList<>();

        List<ServerSentEvent<String>> events = streamClient().get().uri("/api/v1/notifications/stream")
                .header(HttpHeaders.AUTHORIZATION, bearer(token))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .doOnNext(event -> arrivals.add(System.nanoTime() - start))
                .collectList()
                .block(Duration.ofSeconds(15));

        assertThat(events).hasSize(TestBackend.STREAM_EVENTS);
        assertThat(events).extracting(ServerSentEvent::event).containsOnly("TEST");
        assertThat(Duration.ofNanos(arrivals.get(0)))
                .as("first event arrives before the backend has finished the stream (not buffered)")
                .isLessThan(Duration.ofMillis(TestBackend.STREAM_EVENT_INTERVAL_MILLIS * (TestBackend.STREAM_EVENTS - 1)));
        assertThat(Duration.ofNanos(arrivals.get(arrivals.size() - 1)))
                .as("the stream lasted longer than the time limit of ordinary routes")
                .isGreaterThan(TIME_LIMIT);
    }
}
