package dev.couponhub.gateway;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A store's server calling with one of the store's API keys ({@code X-Api-Key}): the gateway asks store-service (here
 * the test backend) for the key's hash, forwards the partner's store and key (never the key itself, never a user) on
 * the routes API.md opens to partner keys, answers 403 on every other route and 401 for an unknown key, limits each
 * key's rate, and refuses a deleted key within 5 seconds on two instances.
 */
class PartnerKeyIT extends GatewayItSupport {

    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    private static ConfigurableApplicationContext second;
    private static WebTestClient secondClient;

    @BeforeAll
    static void startSecond() {
        second = startSecondInstance();
        secondClient = clientOf(second);
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    /** A new key store-service knows, of a new key id and the given store. */
    private static String newKey(long storeId) {
        String key = "chk_" + UUID.randomUUID().toString().replace("-", "") + "abcdefgh";
        BACKEND.addApiKey(key, IDS.incrementAndGet(), storeId);
        return key;
    }

    private static EntityExchangeResult<byte[]> call(WebTestClient on, HttpMethod method, String path, String key,
                                                     String... headers) {
        WebTestClient.RequestBodySpec request = on.method(method).uri(path).header("X-Api-Key", key);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return request.exchange().expectBody().returnResult();
    }

    @Test
    void validKeyOnAPartnerRouteThenForwardedWithItsStoreAndKeyOnlyNoUserNoKeyText() {
        String key = newKey(31);

        EntityExchangeResult<byte[]> result = call(client, HttpMethod.POST, "/api/v1/redemptions", key,
                "X-User-Id", "1", "X-User-Role", "ADMIN", "X-User-Store-Id", "99");

        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        JsonNode headers = json(result).path("headers");
        assertThat(headers.path("x-user-role").get(0).asText()).isEqualTo("PARTNER");
        assertThat(headers.path("x-user-store-id").get(0).asText()).isEqualTo("31");
        assertThat(headers.path("x-user-store-id")).hasSize(1);
        assertThat(headers.path("x-user-key-id").get(0).asLong()).isPositive();
        assertThat(headers.has("x-user-id")).isFalse();
        assertThat(headers.has("x-api-key")).isFalse();
        for (String[] route : List.of(new String[] {"GET", "/api/v1/coupons/5/issued-coupons"},
                new String[] {"GET", "/api/v1/coupons/5/issued-coupons.csv"},
                new String[] {"POST", "/api/v1/coupons/5/grants"},
                new String[] {"POST", "/api/v1/redemptions/preview"},
                new String[] {"POST", "/api/v1/redemptions/cancel"})) {
            assertThat(call(client, HttpMethod.valueOf(route[0]), route[1], key).getStatus()).as(route[1])
                    .isIn(HttpStatus.OK, HttpStatus.TOO_MANY_REQUESTS);
        }
    }

    @Test
    void validKeyOnAnyOtherRouteThenForbiddenAndNothingForwarded() {
        String key = newKey(32);
        List<String> before = BACKEND.receivedPaths();

        for (String[] route : List.of(new String[] {"GET", "/api/v1/users/me"},
                new String[] {"GET", "/api/v1/coupons/5"}, new String[] {"GET", "/api/v1/coupons"},
                new String[] {"POST", "/api/v1/coupons/5/claim"}, new String[] {"POST", "/api/v1/coupons"},
                new String[] {"DELETE", "/api/v1/stores/32"}, new String[] {"GET", "/api/v1/stores/32/api-keys"},
                new String[] {"POST", "/api/v1/coupons/5/issued-coupons"},
                new String[] {"GET", "/api/v1/notifications/stream"})) {
            assertProblem(call(client, HttpMethod.valueOf(route[0]), route[1], key), HttpStatus.FORBIDDEN,
                    "FORBIDDEN");
        }
        assertThat(BACKEND.receivedPaths()).hasSameSizeAs(before);
    }

    @Test
    void unknownKeyOrAKeyWithATokenThenUnauthorized() {
        EntityExchangeResult<byte[]> unknown = call(client, HttpMethod.POST, "/api/v1/redemptions", "chk_unknown");
        assertProblem(unknown, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertThat(unknown.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("ApiKey");
        assertProblem(call(client, HttpMethod.POST, "/api/v1/redemptions", ""), HttpStatus.UNAUTHORIZED,
                "UNAUTHORIZED");
        assertProblem(call(client, HttpMethod.POST, "/api/v1/redemptions", "x".repeat(300)), HttpStatus.UNAUTHORIZED,
                "UNAUTHORIZED");
        // an unknown key is 401 also on a route keys may not use, and on a public one
        assertProblem(call(client, HttpMethod.GET, "/api/v1/coupons", "chk_unknown"), HttpStatus.UNAUTHORIZED,
                "UNAUTHORIZED");
        String key = newKey(33);
        assertProblem(call(client, HttpMethod.POST, "/api/v1/redemptions", key, HttpHeaders.AUTHORIZATION,
                bearer(KEY.token(newUserId(), "OWNER"))), HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
    }

    @Test
    void eachKeyHasItsOwnRateLimit() {
        String busy = newKey(34);
        String other = newKey(34);
        for (int i = 0; i < USER_BURST; i++) {
            assertThat(call(client, HttpMethod.POST, "/api/v1/redemptions", busy).getStatus()).isEqualTo(HttpStatus.OK);
        }
        EntityExchangeResult<byte[]> limited = call(client, HttpMethod.POST, "/api/v1/redemptions", busy);
        assertProblem(limited, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED");
        assertThat(limited.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(call(client, HttpMethod.POST, "/api/v1/redemptions", other).getStatus()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void deletedKeyThenRefusedOnBothInstancesWithin5SecondsAndCheckedAtMostEveryFewSecondsMeanwhile() {
        String key = newKey(35);
        int lookupsBefore = BACKEND.apiKeyLookups();
        for (WebTestClient on : List.of(client, secondClient)) {
            for (int i = 0; i < 2; i++) {
                assertThat(call(on, HttpMethod.GET, "/api/v1/coupons/5/issued-coupons", key).getStatus())
                        .isEqualTo(HttpStatus.OK);
            }
        }
        // one look-up per instance: the answer is remembered
        assertThat(BACKEND.apiKeyLookups() - lookupsBefore).isEqualTo(2);

        BACKEND.deleteApiKey(key);

        long deletedAt = System.nanoTime();
        for (WebTestClient on : List.of(client, secondClient)) {
            await().atMost(WITHIN.minusNanos(System.nanoTime() - deletedAt)).pollInterval(Duration.ofMillis(100))
                    .until(() -> call(on, HttpMethod.GET, "/api/v1/coupons/5/issued-coupons", key).getStatus()
                            == HttpStatus.UNAUTHORIZED);
            assertProblem(call(on, HttpMethod.GET, "/api/v1/coupons/5/issued-coupons", key), HttpStatus.UNAUTHORIZED,
                    "UNAUTHORIZED");
        }
    }
}
