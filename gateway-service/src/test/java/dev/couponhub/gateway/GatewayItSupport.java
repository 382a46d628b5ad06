package dev.couponhub.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway against a test backend standing in for every service (ai-service is down: its URI is a closed
 * port); the gateway needs nothing else (rate limits are kept in its memory). The backends' response time-out is
 * shortened to 2 s ({@link #TIME_LIMIT}) so that a slow backend and a stream outliving the limit can be observed
 * quickly.
 *
 * <p>The base of the gateway's ITs, one class a concern ({@link AccessPolicyIT}, {@link TokenIT},
 * {@link RoutingIT}, {@link FailingBackendsIT}, {@link RateLimitIT}, {@link CorsIT}, {@link ApiDocsIT},
 * {@link ActuatorIT}, {@link ObservabilityIT}, {@link StockRelayIT}). A subclass adds tests only: no annotations, properties or fields of its own that
 * would change the Spring configuration, so that all of them share ONE application context (Spring's context
 * cache). The test backend that context points at is therefore started once per JVM, with the first of these
 * classes, and stopped when the JVM exits (not after each class, while the cached context still uses it).
 */
@AutoConfigureObservability
abstract class GatewayItSupport extends RunningGatewaySupport {

    static final TestBackend BACKEND = startBackendUntilJvmExit();
    static final TestSigningKey KEY = TestSigningKey.generate("key-1");
    static final Duration JWKS_REFRESH_INTERVAL = Duration.ofSeconds(1);
    static final Duration TIME_LIMIT = Duration.ofSeconds(2);
    static final int USER_BURST = 3;
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The properties of the gateway these ITs run (also for a second instance, {@link SessionIT}). */
    static Map<String, Object> properties() {
        BACKEND.publishKeys(KEY);
        String backend = BACKEND.uri().toString();
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String service : List.of("user", "store", "coupon", "notification", "batch")) {
            properties.put("couponhub.gateway.services." + service, backend);
        }
        properties.put("couponhub.gateway.services.ai", TestBackend.closedPortUri().toString());
        // the test backend speaks HTTP/1.1 only; H2cStreamIT proxies the stream over h2c to a backend of its own
        properties.put("couponhub.gateway.services.notification-stream-h2c", false);
        properties.put("couponhub.gateway.jwt.jwks-uri", BACKEND.jwksUri().toString());
        properties.put("couponhub.gateway.jwt.jwks-refresh-interval", JWKS_REFRESH_INTERVAL.toMillis() + "ms");
        properties.put("couponhub.gateway.rate-limit.authenticated.replenish-rate", 1);
        properties.put("couponhub.gateway.rate-limit.authenticated.burst-capacity", USER_BURST);
        properties.put("couponhub.gateway.rate-limit.partner.replenish-rate", 1);
        properties.put("couponhub.gateway.rate-limit.partner.burst-capacity", USER_BURST);
        properties.put("couponhub.gateway.rate-limit.anonymous.replenish-rate", 1000);
        properties.put("couponhub.gateway.rate-limit.anonymous.burst-capacity", 2000);
        // the ITs send many bad tokens from one address (AuthenticationFilterTests covers that limit)
        properties.put("couponhub.gateway.rate-limit.invalid-tokens.replenish-rate", 1000);
        properties.put("couponhub.gateway.rate-limit.invalid-tokens.burst-capacity", 2000);
        properties.put("couponhub.gateway.stock.first-event-within", "1s");
        properties.put("couponhub.gateway.stock.reconnect-delay", "100ms");
        properties.put("couponhub.gateway.stock.heartbeat", "1s");
        properties.put("spring.cloud.gateway.server.webflux.httpclient.response-timeout", TIME_LIMIT.toMillis() + "ms");
        return properties;
    }

    private static TestBackend startBackendUntilJvmExit() {
        TestBackend backend = TestBackend.start();
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "gateway-it-backend-shutdown"));
        return backend;
    }

    /**
     * A second gateway instance with the same properties on a free port, as a second task behind the load balancer
     * (for what must hold on every instance); the caller closes it.
     */
    static ConfigurableApplicationContext startSecondInstance() {
        return startInstance(Map.of());
    }

    /**
     * A gateway instance with these ITs' properties, {@code overrides} on top, on a free port; the caller closes it.
     * The properties are given as command-line arguments: default properties would rank below application.yml, whose
     * port 8080 may be taken by a running suite.
     */
    static ConfigurableApplicationContext startInstance(Map<String, Object> overrides) {
        Map<String, Object> properties = properties();
        properties.put("server.port", 0);
        properties.putAll(overrides);
        return new SpringApplicationBuilder(GatewayApplication.class)
                .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                        .toArray(String[]::new));
    }

    /** A client of an instance started with {@link #startSecondInstance()}. */
    static WebTestClient clientOf(ConfigurableApplicationContext instance) {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    /** A user id no other test uses, so that each test has its own rate limit bucket. */
    static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static JsonNode json(EntityExchangeResult<byte[]> result) {
        try {
            return JSON.readTree(result.getResponseBody());
        }
        catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(result.getResponseBody()), e);
        }
    }

    /** The request as the backend received it (the echo of {@link TestBackend}). */
    EntityExchangeResult<byte[]> echoOf(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectStatus().isOk().expectBody().returnResult();
    }

    static void assertProblem(EntityExchangeResult<byte[]> result, HttpStatus status, String code) {
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

    EntityExchangeResult<byte[]> get(String path, String authorization) {
        WebTestClient.RequestHeadersSpec<?> request = client.get().uri(path);
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.exchange().expectBody().returnResult();
    }

    void assertUnauthorized(String token) {
        EntityExchangeResult<byte[]> result = get("/api/v1/users/me", bearer(token));
        assertProblem(result, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    /** A plain client for reading an event stream as its events arrive. */
    WebClient streamClient() {
        return WebClient.create("http://127.0.0.1:" + port);
    }
}
