package dev.couponhub.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.couponhub.devstack.Component;
import dev.couponhub.gateway.testing.RawHttp;
import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;
import dev.couponhub.testsupport.TestDevstack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway against a real Redis and a test backend standing in for every service (ai-service is
 * down: its URI is a closed port). Time limits are shortened to 2 s so that a slow backend and a stream
 * outliving the limit can be observed quickly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
class GatewayIT {

    private static final TestBackend BACKEND = TestBackend.start();
    private static final TestSigningKey KEY = TestSigningKey.generate("key-1");
    private static final Duration JWKS_REFRESH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIME_LIMIT = Duration.ofSeconds(2);
    private static final int USER_BURST = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebTestClient client;

    @LocalServerPort
    private int port;

    @BeforeEach
    void clientForTheRunningGateway() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "gateway", Component.REDIS);
        BACKEND.publishKeys(KEY);
        String backend = BACKEND.uri().toString();
        for (String service : List.of("user", "store", "coupon", "notification", "batch")) {
            registry.add("couponhub.gateway.services." + service, () -> backend);
        }
        String closed = TestBackend.closedPortUri().toString();
        registry.add("couponhub.gateway.services.ai", () -> closed);
        registry.add("couponhub.gateway.jwt.jwks-uri", () -> BACKEND.jwksUri().toString());
        registry.add("couponhub.gateway.jwt.jwks-refresh-interval", () -> JWKS_REFRESH_INTERVAL.toMillis() + "ms");
        registry.add("couponhub.gateway.rate-limit.authenticated.replenish-rate", () -> 1);
        registry.add("couponhub.gateway.rate-limit.authenticated.burst-capacity", () -> USER_BURST);
        registry.add("couponhub.gateway.rate-limit.anonymous.replenish-rate", () -> 1000);
        registry.add("couponhub.gateway.rate-limit.anonymous.burst-capacity", () -> 2000);
        registry.add("resilience4j.timelimiter.configs.default.timeout-duration", () -> TIME_LIMIT.toMillis() + "ms");
        registry.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout",
                () -> TIME_LIMIT.toMillis() + "ms");
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    /** A user id no other test uses, so that each test has its own rate limit bucket. */
    private static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static JsonNode json(EntityExchangeResult<byte[]> result) {
        try {
            return JSON.readTree(result.getResponseBody());
        }
        catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(result.getResponseBody()), e);
        }
    }

    /** The request as the backend received it (the echo of {@link TestBackend}). */
    private EntityExchangeResult<byte[]> echoOf(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectStatus().isOk().expectBody().returnResult();
    }

    private static void assertProblem(EntityExchangeResult<byte[]> result, HttpStatus status, String code) {
        assertThat(result.getStatus()).isEqualTo(status);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json(result);
        assertThat(problem.path("status").asInt()).isEqualTo(status.value());
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("type").asText())
                .isEqualTo("https://couponhub.dev/problems/" + code.toLowerCase().replace('_', '-'));
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).startsWith("/");
        assertThat(problem.has("trace")).isFalse();
    }

    private EntityExchangeResult<byte[]> get(String path, String authorization) {
        WebTestClient.RequestHeadersSpec<?> request = client.get().uri(path);
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.exchange().expectBody().returnResult();
    }

    private void assertUnauthorized(String token) {
        EntityExchangeResult<byte[]> result = get("/api/v1/users/me", bearer(token));
        assertProblem(result, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    // --- authentication -------------------------------------------------------------------------

    @Test
    void protectedRouteWithoutTokenThenUnauthorizedProblemWithBearerChallenge() {
        EntityExchangeResult<byte[]> result = get("/api/v1/users/me", null);

        assertProblem(result, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(json(result).path("instance").asText()).isEqualTo("/api/v1/users/me");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/users/me",
            "/api/v1/issued-coupons",
            "/api/v1/issued-coupons/1",
            "/api/v1/subscriptions",
            "/api/v1/notifications",
            "/api/v1/notifications/stream",
            "/api/v1/stats/stores/1/coupons?from=2026-01-01&to=2026-01-31",
            "/api/v1/batch/jobs/coupon-usage-stats/runs/1",
            "/api/v1/recommendations/coupons"
    })
    void anonymousGetOnProtectedRouteThenUnauthorizedAndBackendNotCalled(String path) {
        List<String> before = BACKEND.receivedPaths();

        assertProblem(get(path, null), HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertThat(BACKEND.receivedPaths()).hasSameSizeAs(before);
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /api/v1/stores",
            "PUT, /api/v1/stores/1",
            "DELETE, /api/v1/stores/1",
            "POST, /api/v1/coupons",
            "POST, /api/v1/coupons/1/claim",
            "POST, /api/v1/coupons/1/end",
            "POST, /api/v1/redemptions"
    })
    void anonymousWriteOnStoresAndCouponsThenUnauthorized(String method, String path) {
        EntityExchangeResult<byte[]> result = client.method(HttpMethod.valueOf(method)).uri(path)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectBody().returnResult();

        assertProblem(result, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
    }

    @Test
    void anonymousGetOnStoresAndCouponsThenForwardedWithoutIdentity() {
        for (String path : List.of("/api/v1/stores?q=cafe&page=0", "/api/v1/stores/7", "/api/v1/coupons",
                "/api/v1/coupons/search?q=%EC%BB%A4%ED%94%BC", "/api/v1/coupons/3")) {
            JsonNode echo = json(echoOf(client.get().uri(path)
                    .header("X-User-Id", "1").header("X-User-Role", "ADMIN")));

            assertThat(echo.path("method").asText()).isEqualTo("GET");
            assertThat(echo.path("headers").has("x-user-id")).as(path).isFalse();
            assertThat(echo.path("headers").has("x-user-role")).as(path).isFalse();
        }
    }

    @Test
    void getOnStoresWithInvalidTokenThenUnauthorized() {
        assertProblem(get("/api/v1/stores", bearer("garbage")), HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
    }

    @Test
    void getOnStoresWithValidTokenThenIdentityForwarded() {
        long userId = newUserId();

        JsonNode echo = json(echoOf(client.get().uri("/api/v1/stores/mine")
                .header(HttpHeaders.AUTHORIZATION, bearer(KEY.token(userId, "OWNER")))));

        assertThat(echo.path("headers").path("x-user-id").get(0).asText()).isEqualTo(Long.toString(userId));
        assertThat(echo.path("headers").path("x-user-role").get(0).asText()).isEqualTo("OWNER");
    }

    @Test
    void validTokenThenBackendReceivesIdentityFromTokenAndNoClientIdentityHeaders() {
        long userId = newUserId();

        JsonNode echo = json(echoOf(client.get().uri("/api/v1/users/me")
                .header(HttpHeaders.AUTHORIZATION, bearer(KEY.token(userId, "SHOPPER")))
                .header("X-User-Id", "1")
                .header("X-User-Role", "ADMIN")
                .header("x-user-whatever", "evil")
                .header("X-USER-EMAIL", "admin@couponhub.local")));

        JsonNode headers = echo.path("headers");
        assertThat(echo.path("path").asText()).isEqualTo("/api/v1/users/me");
        assertThat(headers.path("x-user-id").size()).isEqualTo(1);
        assertThat(headers.path("x-user-id").get(0).asText()).isEqualTo(Long.toString(userId));
        assertThat(headers.path("x-user-role").size()).isEqualTo(1);
        assertThat(headers.path("x-user-role").get(0).asText()).isEqualTo("SHOPPER");
        assertThat(headers.has("x-user-whatever")).isFalse();
        assertThat(headers.has("x-user-email")).isFalse();
        assertThat(headers.has("authorization")).isFalse();
    }

    @Test
    void tamperedSignatureThenUnauthorized() {
        String token = KEY.token(newUserId(), "SHOPPER");
        String tampered = TestSigningKey.withPayload(token, TestSigningKey.claimsJson(1, "ADMIN"));

        assertUnauthorized(tampered);
        assertUnauthorized(token.substring(0, token.length() - 4) + "AAAA");
    }

    @Test
    void expiredTokenThenUnauthorized() {
        Instant past = Instant.now().minus(Duration.ofMinutes(5));

        assertUnauthorized(KEY.token(newUserId(), "SHOPPER",
                b -> b.issuedAt(Date.from(past.minusSeconds(900))).expiration(Date.from(past))));
    }

    @Test
    void tokenSignedByAnotherKeyThenUnauthorized() {
        assertUnauthorized(TestSigningKey.generate(KEY.keyId()).token(newUserId(), "ADMIN"));
        assertUnauthorized(TestSigningKey.generate("key-of-someone-else").token(newUserId(), "ADMIN"));
    }

    @Test
    void algNoneThenUnauthorized() {
        assertUnauthorized(TestSigningKey.unsecured("{\"alg\":\"none\",\"kid\":\"key-1\"}",
                TestSigningKey.claimsJson(newUserId(), "ADMIN")));
    }

    @Test
    void hs256SignedWithPublicKeyThenUnauthorized() {
        assertUnauthorized(TestSigningKey.hs256("{\"alg\":\"HS256\",\"kid\":\"key-1\"}",
                TestSigningKey.claimsJson(newUserId(), "ADMIN"), KEY.publicKey().getEncoded()));
    }

    @Test
    void wrongIssuerThenUnauthorized() {
        assertUnauthorized(KEY.token(newUserId(), "ADMIN", b -> b.issuer("not-couponhub")));
    }

    @Test
    void tokenWithoutKidThenUnauthorized() {
        assertUnauthorized(KEY.token(newUserId(), "ADMIN", b -> b.header().keyId(null).and()));
    }

    @Test
    void authRoutesWithGarbageTokenThenForwardedAnonymously() {
        JsonNode echo = json(echoOf(client.post().uri("/api/v1/auth/login")
                .header(HttpHeaders.AUTHORIZATION, "Bearer garbage")
                .header("X-User-Id", "1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"a@b.c\",\"password\":\"password1\"}")));

        assertThat(echo.path("method").asText()).isEqualTo("POST");
        assertThat(echo.path("path").asText()).isEqualTo("/api/v1/auth/login");
        assertThat(echo.path("headers").has("x-user-id")).isFalse();
        assertThat(echo.path("headers").has("authorization")).isFalse();
    }

    @Test
    void accessTokenQueryOnStreamThenAcceptedStrippedAndStreamed() {
        long userId = newUserId();
        String token = KEY.token(userId, "SHOPPER");

        List<ServerSentEvent<String>> events = streamClient().get()
                .uri("/api/v1/notifications/stream?access_token={token}&since=5", token)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .take(1)
                .collectList()
                .block(Duration.ofSeconds(10));

        assertThat(events).hasSize(1);
        JsonNode echo = readJson(events.get(0).data());
        assertThat(echo.path("query").asText()).isEqualTo("since=5");
        assertThat(echo.path("headers").path("x-user-id").get(0).asText()).isEqualTo(Long.toString(userId));
    }

    @Test
    void accessTokenQueryElsewhereThenIgnored() {
        String token = KEY.token(newUserId(), "SHOPPER");

        assertProblem(get("/api/v1/users/me?access_token=" + token, null), HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertProblem(get("/api/v1/notifications?access_token=" + token, null),
                HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");

        JsonNode echo = json(echoOf(client.get().uri("/api/v1/coupons?access_token=" + token + "&page=1")));
        assertThat(echo.path("headers").has("x-user-id")).isFalse();
        assertThat(echo.path("query").asText()).isEqualTo("page=1");
    }

    @Test
    void unknownKidThenKeySetDownloadedAgainAndRotatedKeyAccepted() throws InterruptedException {
        TestSigningKey next = TestSigningKey.generate("key-" + newUserId());
        BACKEND.publishKeys(KEY, next);
        Thread.sleep(JWKS_REFRESH_INTERVAL.toMillis() + 300);
        int downloads = BACKEND.jwksDownloads();
        long userId = newUserId();

        JsonNode echo = json(echoOf(client.get().uri("/api/v1/users/me")
                .header(HttpHeaders.AUTHORIZATION, bearer(next.token(userId, "ADMIN")))));

        assertThat(echo.path("headers").path("x-user-id").get(0).asText()).isEqualTo(Long.toString(userId));
        assertThat(BACKEND.jwksDownloads()).isEqualTo(downloads + 1);
        assertThat(get("/api/v1/users/me", bearer(KEY.token(newUserId(), "SHOPPER"))).getStatus())
                .isEqualTo(HttpStatus.OK);
    }

    // --- routing safety ---------------------------------------------------------------------------

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
    void actuatorPathsWithoutApiPrefixThenNotRoutedToServices() {
        for (String path : List.of("/actuator/env", "/actuator/gateway/routes", "/actuator/beans")) {
            assertProblem(get(path, null), HttpStatus.NOT_FOUND, "NOT_FOUND");
        }
        assertThat(BACKEND.receivedPaths()).noneMatch(path -> path.contains("actuator"));
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

    // --- rate limiting ----------------------------------------------------------------------------

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

    // --- failing backends -------------------------------------------------------------------------

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

    private WebClient streamClient() {
        return WebClient.create("http://127.0.0.1:" + port);
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        }
        catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    // --- CORS, documentation, actuator ------------------------------------------------------------

    @Test
    void corsPreflightFromAllowedOriginThenAllowedWithoutToken() {
        client.options().uri("/api/v1/coupons/1/claim")
                .header(HttpHeaders.ORIGIN, "http://localhost:5173")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization, content-type, idempotency-key")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:5173")
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods -> assertThat(methods)
                        .contains("POST"))
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers -> assertThat(headers)
                        .containsIgnoringCase("idempotency-key"));
    }

    @Test
    void corsRequestFromAllowedOriginThenExposesRetryAfterAndLocation() {
        client.get().uri("/api/v1/stores")
                .header(HttpHeaders.ORIGIN, "http://localhost:5173")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:5173")
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, exposed -> assertThat(exposed)
                        .contains("Location", "Retry-After"));
    }

    @Test
    void corsPreflightFromOtherOriginThenForbiddenProblem() {
        EntityExchangeResult<byte[]> result = client.options().uri("/api/v1/coupons/1/claim")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange().expectBody().returnResult();

        assertProblem(result, HttpStatus.FORBIDDEN, "FORBIDDEN");
        assertThat(result.getResponseHeaders().getAccessControlAllowOrigin()).isNull();
    }

    @Test
    void serviceApiDocsThenRoutedAnonymouslyWithGatewayAsServer() {
        EntityExchangeResult<byte[]> result = client.get().uri("/v3/api-docs/store")
                .header(HttpHeaders.AUTHORIZATION, "Bearer garbage")
                .exchange().expectStatus().isOk().expectBody().returnResult();

        JsonNode document = json(result);
        assertThat(document.path("openapi").asText()).isEqualTo("3.0.1");
        assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo("/");
        assertThat(BACKEND.receivedPaths()).contains("/v3/api-docs");
    }

    @Test
    void serviceApiDocsWhenServiceDownThenDependencyUnavailable() {
        assertProblem(get("/v3/api-docs/ai", null), HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE");
    }

    @Test
    void swaggerUiListsEveryService() {
        client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();

        JsonNode config = json(client.get().uri("/v3/api-docs/swagger-config").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        List<String> names = new ArrayList<>();
        config.path("urls").forEach(url -> names.add(url.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("user", "store", "coupon", "notification", "batch", "ai");
    }

    @Test
    void gatewayHealthAndPrometheusThenReachableAnonymously() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");

        String metrics = client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void responsesOfRoutedRequestsCarryRateLimitHeaders() {
        HttpHeaders headers = client.get().uri("/api/v1/stores").exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseHeaders();

        assertThat(headers.getFirst("X-RateLimit-Remaining")).isNotNull();
    }
}
