package dev.couponhub.gateway;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit (Redis) of each user: 429 RATE_LIMITED with Retry-After past the burst, other users
 * unaffected, and the remaining budget in the headers of routed responses.
 */
class RateLimitIT extends GatewayItSupport {

    @Test
    void tooManyRequestsFromOneUserThenRateLimitedWhileAnotherUserPasses() {
        String busy = bearer(KEY.token(newUserId(), "SHOPPER"));
        List<EntityExchangeResult<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < USER_BURST + 5; i++) {
            results.add(get("/api/v1/issued-coupons", busy));
        }

        EntityExchangeResult<byte[]> limited = results.stream()
                .filter(r -> r.getStatus() == HttpStatus.TOO_MANY_REQUESTS)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no 429 among " + results.size() + " requests"));
        assertThat(results.get(0).getStatus()).isEqualTo(HttpStatus.OK);
        assertProblem(limited, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED");
        assertThat(Long.parseLong(limited.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)))
                .isGreaterThanOrEqualTo(1);

        assertThat(get("/api/v1/issued-coupons", bearer(KEY.token(newUserId(), "SHOPPER"))).getStatus())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void responsesOfRoutedRequestsCarryRateLimitHeaders() {
        HttpHeaders headers = client.get().uri("/api/v1/stores").exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseHeaders();

        assertThat(headers.getFirst("X-RateLimit-Remaining")).isNotNull();
    }
}
