package dev.couponhub.gateway.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.config.JwtProperties;
import dev.couponhub.gateway.config.PartnerKeyProperties;
import dev.couponhub.gateway.config.ServicesProperties;
import dev.couponhub.gateway.config.RateLimitProperties;
import dev.couponhub.gateway.ratelimit.ClientAddress;
import dev.couponhub.gateway.ratelimit.InvalidTokenLimit;
import dev.couponhub.gateway.problem.ProblemWriter;
import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationFilterTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final TestSigningKey KEY = TestSigningKey.generate("key-1");

    private static TestBackend backend;

    private final AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
    private final GatewayFilterChain chain = exchange -> {
        forwarded.set(exchange);
        return Mono.empty();
    };

    @BeforeAll
    static void startBackend() {
        backend = TestBackend.start();
        backend.publishKeys(KEY);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    private static AuthenticationFilter filter(URI jwksUri) {
        return filter(jwksUri, null);
    }

    private static AuthenticationFilter filter(URI jwksUri, RateLimitProperties.Tier invalidTokens) {
        return filter(jwksUri, invalidTokens, backend.uri());
    }

    private static AuthenticationFilter filter(URI jwksUri, RateLimitProperties.Tier invalidTokens, URI storeService) {
        JwtProperties properties = new JwtProperties("couponhub", jwksUri, Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(60), 1000);
        SessionRevocations revocations = TestRevocations.of(backend, Clock.systemUTC());
        JwtVerifier verifier = new JwtVerifier(new JwksKeyCache(WebClient.builder(), properties, Clock.systemUTC()),
                revocations, properties, Clock.systemUTC());
        RateLimitProperties limits = new RateLimitProperties(true, null, null, null, invalidTokens, 0, 1, 1000);
        PartnerKeys partnerKeys = new PartnerKeys(WebClient.builder(), new ServicesProperties(backend.uri(),
                storeService, backend.uri(), backend.uri(), backend.uri(), backend.uri(), false),
                new PartnerKeyProperties("/internal/v1/api-keys/", Duration.ofSeconds(2), Duration.ofSeconds(2), 100));
        return new AuthenticationFilter(verifier, revocations, partnerKeys,
                new InvalidTokenLimit(limits, new ClientAddress(limits)),
                new ProblemWriter(Jackson2ObjectMapperBuilder.json().build()));
    }

    private MockServerWebExchange run(MockServerHttpRequest request) {
        return run(filter(backend.jwksUri()), request);
    }

    private MockServerWebExchange run(AuthenticationFilter filter, MockServerHttpRequest request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, chain).block(TIMEOUT);
        return exchange;
    }

    private HttpHeaders forwardedHeaders() {
        assertThat(forwarded.get()).as("request forwarded").isNotNull();
        return forwarded.get().getRequest().getHeaders();
    }

    @Test
    void filterWhenAnAddressSentTooManyInvalidTokensThenItsNextTokenIsRefusedUnverifiedOthersPass() {
        AuthenticationFilter filter = filter(backend.jwksUri(), new RateLimitProperties.Tier(1, 3));
        java.net.InetSocketAddress flooding = new java.net.InetSocketAddress("203.0.113.9", 40000);
        String remembered = KEY.token(43, "SHOPPER");
        assertThat(run(filter, get("/api/v1/users/me", remembered, flooding)).getResponse().getStatusCode())
                .isNull(); // passed on

        for (String invalid : java.util.List.of("garbage", KEY.token(44, "SHOPPER") + "x", "")) {
            assertThat(run(filter, get("/api/v1/users/me", invalid, flooding)).getResponse().getStatusCode())
                    .isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        forwarded.set(null);
        MockServerWebExchange refused = run(filter, get("/api/v1/users/me", KEY.token(45, "SHOPPER"), flooding));

        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(forwarded.get()).isNull();
        // a token this gateway verified before costs no check: it still passes from that address
        assertThat(run(filter, get("/api/v1/users/me", remembered, flooding)).getResponse().getStatusCode()).isNull();
        // another address is not affected
        assertThat(run(filter, get("/api/v1/users/me", KEY.token(46, "SHOPPER"),
                new java.net.InetSocketAddress("203.0.113.10", 40000))).getResponse().getStatusCode()).isNull();
    }

    @Test
    void filterWhenStoreServiceCannotCheckAnApiKeyThenServiceUnavailableAtOnceAndNothingForwarded() {
        AuthenticationFilter filter = filter(backend.jwksUri(), null, TestBackend.closedPortUri());

        MockServerWebExchange exchange = run(filter, MockServerHttpRequest.post("/api/v1/redemptions")
                .header("X-Api-Key", "chk_any").build());

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(forwarded.get()).isNull();
    }

    private static MockServerHttpRequest get(String path, String token, java.net.InetSocketAddress from) {
        return MockServerHttpRequest.get(path).remoteAddress(from).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .build();
    }

    @Test
    void filterWhenAnonymousRouteThenClientIdentityHeadersAndCredentialsRemoved() {
        MockServerWebExchange exchange = run(MockServerHttpRequest.post("/api/v1/auth/login")
                .header("X-User-Id", "1")
                .header("x-user-role", "ADMIN")
                .header("X-USER-ANYTHING", "x")
                .header(HttpHeaders.AUTHORIZATION, "Bearer garbage")
                .build());

        HttpHeaders headers = forwardedHeaders();
        assertThat(headers.keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-user-"));
        assertThat(headers.containsKey(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat((Object) exchange.getAttribute(CallerIdentity.ATTRIBUTE)).isNull();
    }

    @Test
    void filterWhenValidTokenThenIdentityHeadersFromTokenReplaceClientOnes() {
        MockServerWebExchange exchange = run(MockServerHttpRequest.get("/api/v1/users/me")
                .header("X-User-Id", "1")
                .header("X-User-Role", "ADMIN")
                .header("x-user-extra", "1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY.token(42, "SHOPPER"))
                .build());

        HttpHeaders headers = forwardedHeaders();
        assertThat(headers.get("X-User-Id")).containsExactly("42");
        assertThat(headers.get("X-User-Role")).containsExactly("SHOPPER");
        assertThat(headers.containsKey("x-user-extra")).isFalse();
        assertThat(headers.containsKey(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat((Object) exchange.getAttribute(CallerIdentity.ATTRIBUTE))
                .isEqualTo(new CallerIdentity(42, "SHOPPER", TestSigningKey.sessionOf(42)));
    }

    @Test
    void filterWhenBearerSchemeInOtherCaseThenAccepted() {
        run(MockServerHttpRequest.get("/api/v1/users/me")
                .header(HttpHeaders.AUTHORIZATION, "bearer " + KEY.token(42, "SHOPPER"))
                .build());

        assertThat(forwardedHeaders().getFirst("X-User-Id")).isEqualTo("42");
    }

    @Test
    void filterWhenProtectedRouteWithoutTokenThenUnauthorizedProblem() {
        MockServerWebExchange exchange = run(MockServerHttpRequest.get("/api/v1/users/me").build());

        assertThat(forwarded.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getBodyAsString().block(TIMEOUT))
                .contains("\"code\":\"UNAUTHORIZED\"", "\"instance\":\"/api/v1/users/me\"");
    }

    @Test
    void filterWhenAuthorizationIsNotBearerThenUnauthorized() {
        MockServerWebExchange exchange = run(MockServerHttpRequest.get("/api/v1/users/me")
                .header(HttpHeaders.AUTHORIZATION, "Basic dXNlcjpwYXNz")
                .build());

        assertThat(forwarded.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                .isEqualTo("Bearer error=\"invalid_token\"");
    }

    @Test
    void filterWhenPublicReadWithoutTokenThenForwardedWithoutIdentity() {
        run(MockServerHttpRequest.get("/api/v1/coupons/3").header("X-User-Id", "1").build());

        assertThat(forwardedHeaders().containsKey("X-User-Id")).isFalse();
    }

    @Test
    void filterWhenPublicReadWithInvalidTokenThenUnauthorized() {
        MockServerWebExchange exchange = run(MockServerHttpRequest.get("/api/v1/stores")
                .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token")
                .build());

        assertThat(forwarded.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void filterWhenPublicReadWithValidTokenThenIdentityForwarded() {
        run(MockServerHttpRequest.get("/api/v1/stores/mine")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY.token(5, "OWNER"))
                .build());

        assertThat(forwardedHeaders().getFirst("X-User-Id")).isEqualTo("5");
        assertThat(forwardedHeaders().getFirst("X-User-Role")).isEqualTo("OWNER");
    }

    @Test
    void filterWhenStreamWithAccessTokenQueryThenAcceptedAndRemovedFromUri() {
        run(MockServerHttpRequest.get("/api/v1/notifications/stream?since=4&access_token=" + KEY.token(9, "SHOPPER"))
                .build());

        assertThat(forwardedHeaders().getFirst("X-User-Id")).isEqualTo("9");
        assertThat(forwarded.get().getRequest().getURI().getRawQuery()).isEqualTo("since=4");
        assertThat(forwarded.get().getRequest().getQueryParams()).doesNotContainKey("access_token");
    }

    @Test
    void filterWhenAccessTokenQueryOnOtherPathThenIgnored() {
        MockServerWebExchange exchange = run(MockServerHttpRequest
                .get("/api/v1/users/me?access_token=" + KEY.token(9, "SHOPPER"))
                .build());

        assertThat(forwarded.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void filterWhenKeySetUnreachableAndNoKeyKnownThenServiceUnavailableProblem() {
        AuthenticationFilter filter = filter(TestBackend.closedPortUri().resolve("/.well-known/jwks.json"));

        MockServerWebExchange exchange = run(filter, MockServerHttpRequest.get("/api/v1/users/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY.token(42, "SHOPPER"))
                .build());

        assertThat(forwarded.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getBodyAsString().block(TIMEOUT))
                .contains("\"code\":\"DEPENDENCY_UNAVAILABLE\"", "user-service");
    }

    @Test
    void withoutAccessTokenWhenOtherParametersThenTheyAreKeptAsSent() {
        URI uri = URI.create("http://localhost:8080/api/v1/notifications/stream?q=a%20b&access_token=t1&b=%26"
                + "&%61ccess_token=t2");

        assertThat(AuthenticationFilter.withoutAccessToken(uri))
                .isEqualTo(URI.create("http://localhost:8080/api/v1/notifications/stream?q=a%20b&b=%26"));
        assertThat(AuthenticationFilter.withoutAccessToken(URI.create("http://localhost:8080/x?access_token=t")))
                .isEqualTo(URI.create("http://localhost:8080/x"));
        assertThat(AuthenticationFilter.withoutAccessToken(URI.create("http://localhost:8080/x?a=1"))).isNull();
    }
}
