package dev.couponhub.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session that ends (user-service lists it as revoked: logout, password change, account closed) ends everywhere
 * within 5 seconds: on two gateway instances (the ITs' shared one and a second started here with the same
 * properties), its access tokens are refused with 401 {@code TOKEN_REVOKED} on every route, also a token each instance
 * had already verified and remembered; its open event stream closes; other sessions are untouched.
 */
class SessionIT extends GatewayItSupport {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    private static ConfigurableApplicationContext second;
    private static WebTestClient secondClient;

    @BeforeAll
    static void startSecond() {
        second = startSecondInstance();
        secondClient = clientOf(second);
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    private static EntityExchangeResult<byte[]> get(WebTestClient on, String path, String token) {
        return on.get().uri(path).header(HttpHeaders.AUTHORIZATION, bearer(token)).exchange().expectBody()
                .returnResult();
    }

    @Test
    void revokedSessionThenItsTokensRefusedOnBothInstancesWithin5SecondsOthersNot() {
        long userId = newUserId();
        String token = KEY.token(userId, "SHOPPER");
        String otherSession = KEY.token(userId, "SHOPPER", b -> b.claim("sid", "another-session-" + userId));
        for (WebTestClient on : List.of(client, secondClient)) {
            assertThat(get(on, "/api/v1/users/me", token).getStatus()).isEqualTo(HttpStatus.OK);
        }

        BACKEND.revokeSession(TestSigningKey.sessionOf(userId));

        long revokedAt = System.nanoTime();
        for (WebTestClient on : List.of(client, secondClient)) {
            await().atMost(WITHIN.minusNanos(System.nanoTime() - revokedAt)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(on, "/api/v1/users/me", token).getStatus() == HttpStatus.UNAUTHORIZED);
            EntityExchangeResult<byte[]> refused = get(on, "/api/v1/users/me", token);
            assertProblem(refused, HttpStatus.UNAUTHORIZED, "TOKEN_REVOKED");
            assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                    .isEqualTo("Bearer error=\"invalid_token\"");
            // every route, also one where a token is optional, and a token of the session made later
            assertProblem(get(on, "/api/v1/coupons/1", token), HttpStatus.UNAUTHORIZED, "TOKEN_REVOKED");
            assertProblem(get(on, "/api/v1/users/me", KEY.token(userId, "SHOPPER")), HttpStatus.UNAUTHORIZED,
                    "TOKEN_REVOKED");
            // accepted (the user's rate limit, counted after the token check, may answer 429 by now)
            assertThat(get(on, "/api/v1/users/me", otherSession).getStatus())
                    .isIn(HttpStatus.OK, HttpStatus.TOO_MANY_REQUESTS);
        }
    }

    @Test
    void openStreamOfARevokedSessionThenClosedWithin5Seconds() {
        long userId = newUserId();
        String token = KEY.token(userId, "SHOPPER");
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        List<Boolean> completed = new CopyOnWriteArrayList<>();
        Disposable stream = streamClient().get()
                .uri("/api/v1/notifications/stream?long")
                .header(HttpHeaders.AUTHORIZATION, bearer(token))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .subscribe(received::add, error -> completed.add(false), () -> completed.add(true));
        try {
            await().atMost(WITHIN).until(() -> !received.isEmpty());

            BACKEND.revokeSession(TestSigningKey.sessionOf(userId));

            await().atMost(WITHIN).until(() -> !completed.isEmpty());
            assertThat(received).as("the stream's %d events", TestBackend.LONG_STREAM_EVENTS)
                    .hasSizeLessThan(TestBackend.LONG_STREAM_EVENTS);
        }
        finally {
            stream.dispose();
        }
    }
}
