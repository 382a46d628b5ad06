package dev.couponhub.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.couponhub.gateway.testing.TestBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backends that answer with a problem (passed through untouched), are down or too slow (503
 * DEPENDENCY_UNAVAILABLE, the wait bounded by the HTTP client's response time-out alone, with no Resilience4j time
 * limiter and its timer per request), or get many calls at once (all forwarded, no bulkhead).
 */
class FailingBackendsIT extends GatewayItSupport {

    @Autowired
    TimeLimiterRegistry timeLimiters;

    @ParameterizedTest
    @ValueSource(ints = {404, 409, 500, 503})
    void backendProblemResponsesThenPassedThroughUntouched(int status) {
        EntityExchangeResult<byte[]> result = get(TestBackend.PROBLEM_PATH_PREFIX + status, null);

        assertThat(result.getStatus().value()).isEqualTo(status);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(new String(result.getResponseBody(), StandardCharsets.UTF_8))
                .isEqualTo(TestBackend.problemBody(status));
    }

    @Test
    void backendDownThenDependencyUnavailableInWellUnderASecond() {
        String token = bearer(KEY.token(newUserId(), "SHOPPER"));
        long start = System.nanoTime();

        EntityExchangeResult<byte[]> result = get("/api/v1/recommendations/coupons", token);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE");
        assertThat(json(result).path("detail").asText()).contains("ai-service");
        assertThat(json(result).path("instance").asText()).isEqualTo("/api/v1/recommendations/coupons");
    }

    @Test
    void manyConcurrentCallsOnOneRouteThenAllForwarded() throws Exception {
        int calls = 60;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<CompletableFuture<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String token = KEY.token(newUserId(), "SHOPPER");
                statuses.add(CompletableFuture.supplyAsync(
                        () -> get("/api/v1/users/held", bearer(token)).getStatus().value(), pool));
            }
            List<Integer> answered = new ArrayList<>();
            for (CompletableFuture<Integer> status : statuses) {
                answered.add(status.get());
            }
            // far more calls in flight than any implicit bulkhead (25) would admit: none may be turned away
            assertThat(answered).hasSize(calls).containsOnly(200);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void slowBackendThenDependencyUnavailableAfterTimeLimit() {
        long start = System.nanoTime();

        EntityExchangeResult<byte[]> result = get("/api/v1/users/slow", bearer(KEY.token(newUserId(), "SHOPPER")));

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE");
        assertThat(json(result).path("detail").asText()).contains("user-service");
        assertThat(elapsed).isGreaterThanOrEqualTo(TIME_LIMIT.minusMillis(100))
                .isLessThan(Duration.ofMillis(TestBackend.SLOW_MILLIS));
    }

    @Test
    void routedCallsThenNoTimeLimiterAroundThem() {
        get("/api/v1/users/me", bearer(KEY.token(newUserId(), "SHOPPER")));
        get("/api/v1/stores", null);

        assertThat(timeLimiters.getAllTimeLimiters()).isEmpty();
    }
}
