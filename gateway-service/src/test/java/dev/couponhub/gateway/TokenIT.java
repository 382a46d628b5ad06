package dev.couponhub.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer token: its verification (signature, expiry, algorithm, issuer, key id), the key set downloaded
 * again for a rotated key, the {@code access_token} query accepted on the notification stream only, and the
 * identity headers the backend receives in place of the token.
 */
class TokenIT extends GatewayItSupport {

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

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        }
        catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
