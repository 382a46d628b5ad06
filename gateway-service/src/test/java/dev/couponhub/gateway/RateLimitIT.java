package dev.couponhub.gateway;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit (in the gateway's memory) of each user: the whole burst passes, then 429 RATE_LIMITED with
 * Retry-After, other users unaffected, and the bucket described in the headers of routed responses.
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
        assertThat(results.subList(0, USER_BURST)).as("a fresh bucket lets the whole burst through")
                .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(HttpStatus.OK));
        assertProblem(limited, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED");
        assertThat(Long.parseLong(limited.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)))
                .isGreaterThanOrEqualTo(1);
        assertThat(limited.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("0");

        assertThat(get("/api/v1/issued-coupons", bearer(KEY.token(newUserId(), "SHOPPER"))).getStatus())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void responsesOfRoutedRequestsCarryRateLimitHeaders() {
        HttpHeaders headers = client.get().uri("/api/v1/stores").exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseHeaders();

        assertThat(headers.getFirst("X-RateLimit-Remaining")).isNotNull();
        // the anonymous tier of GatewayItSupport, on the only instance
        assertThat(headers.getFirst("X-RateLimit-Replenish-Rate")).isEqualTo("1000");
        assertThat(headers.getFirst("X-RateLimit-Burst-Capacity")).isEqualTo("2000");
        assertThat(headers.getFirst("X-RateLimit-Requested-Tokens")).isEqualTo("1");
    }

    @Test
    void firstRequestOfAUserThenRemainingIsTheBurstLessOne() {
        HttpHeaders headers = get("/api/v1/issued-coupons", bearer(KEY.token(newUserId(), "SHOPPER")))
                .getResponseHeaders();

        assertThat(headers.getFirst("X-RateLimit-Remaining")).isEqualTo(Integer.toString(USER_BURST - 1));
        assertThat(headers.getFirst("X-RateLimit-Burst-Capacity")).isEqualTo(Integer.toString(USER_BURST));
    }
}
