package dev.couponhub.gateway.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import dev.couponhub.gateway.config.JwtProperties;
import dev.couponhub.gateway.testing.MutableClock;
import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;

class JwtVerifierTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static TestBackend backend;
    private static final TestSigningKey KEY = TestSigningKey.generate("key-1");

    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private JwtVerifier verifier;
    private MutableClock clock;
    private JwksKeyCache keys;
    private SessionRevocations revocations;

    @BeforeAll
    static void startBackend() {
        backend = TestBackend.start();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @BeforeEach
    void setUp() {
        backend.publishKeys(KEY);
        clock = new MutableClock(Instant.now());
        verifier = verifier(backend.jwksUri(), clock);
    }

    private JwtVerifier verifier(URI jwksUri, Clock clock) {
        JwtProperties properties = new JwtProperties("couponhub", jwksUri, Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(10), MAX_AGE, Duration.ofSeconds(60), 1000);
        keys = new JwksKeyCache(WebClient.builder(), properties, clock);
        revocations = TestRevocations.of(backend, clock);
        return new JwtVerifier(keys, revocations, properties, clock);
    }

    private TokenVerification verify(String token) {
        return verifier.verify(token).block(TIMEOUT);
    }

    private static void assertInvalid(TokenVerification result) {
        assertThat(result).isInstanceOf(TokenVerification.Invalid.class);
        assertThat(((TokenVerification.Invalid) result).expired()).isFalse();
    }

    @Test
    void verifyWhenValidTokenThenIdentityFromSubjectAndRole() {
        TokenVerification result = verify(KEY.token(42, "OWNER"));

        assertThat(result).isEqualTo(new TokenVerification.Valid(new CallerIdentity(42, "OWNER", TestSigningKey.sessionOf(42))));
    }

    @Test
    void verifyWhenExpiredBeyondClockSkewThenInvalidAndExpired() {
        Instant past = Instant.now().minusSeconds(60);
        TokenVerification result = verify(KEY.token(42, "SHOPPER",
                b -> b.issuedAt(Date.from(past.minusSeconds(900))).expiration(Date.from(past))));

        assertThat(result).isInstanceOf(TokenVerification.Invalid.class);
        assertThat(((TokenVerification.Invalid) result).expired()).isTrue();
    }

    @Test
    void verifyWhenExpiredWithinClockSkewThenValid() {
        Instant past = Instant.now().minusSeconds(15);
        TokenVerification result = verify(KEY.token(42, "SHOPPER",
                b -> b.issuedAt(Date.from(past.minusSeconds(900))).expiration(Date.from(past))));

        assertThat(result).isInstanceOf(TokenVerification.Valid.class);
    }

    @Test
    void verifyWhenRememberedTokenPassesItsExpiryThenInvalidAndExpired() {
        Instant now = clock.instant();
        String token = KEY.token(42, "SHOPPER",
                b -> b.issuedAt(Date.from(now.minusSeconds(60))).expiration(Date.from(now.plusSeconds(20))));
        assertThat(verify(token)).isInstanceOf(TokenVerification.Valid.class);

        clock.advance(Duration.ofSeconds(20 + 31)); // past exp and the clock skew, well within the cache's TTL
        TokenVerification again = verify(token);

        assertThat(again).isInstanceOf(TokenVerification.Invalid.class);
        assertThat(((TokenVerification.Invalid) again).expired()).isTrue();
    }

    @Test
    void verifyWhenTamperedCopyOfRememberedTokenThenInvalid() {
        String token = KEY.token(42, "SHOPPER");
        assertThat(verify(token)).isInstanceOf(TokenVerification.Valid.class);

        assertInvalid(verify(TestSigningKey.withPayload(token, TestSigningKey.claimsJson(1, "ADMIN"))));
        assertThat(verify(token)).isEqualTo(new TokenVerification.Valid(new CallerIdentity(42, "SHOPPER", TestSigningKey.sessionOf(42))));
    }

    @Test
    void verifyWhenPayloadTamperedThenInvalid() {
        String token = TestSigningKey.withPayload(KEY.token(42, "SHOPPER"), TestSigningKey.claimsJson(1, "ADMIN"));

        assertInvalid(verify(token));
    }

    @Test
    void verifyWhenSignedByAnotherKeyWithSameKidThenInvalid() {
        TestSigningKey impostor = TestSigningKey.generate(KEY.keyId());

        assertInvalid(verify(impostor.token(42, "ADMIN")));
    }

    @Test
    void verifyWhenAlgNoneThenInvalid() {
        String token = TestSigningKey.unsecured("{\"alg\":\"none\",\"kid\":\"key-1\"}",
                TestSigningKey.claimsJson(42, "ADMIN"));

        assertInvalid(verify(token));
    }

    @Test
    void verifyWhenHs256WithPublicKeyAsSecretThenInvalid() {
        String header = "{\"alg\":\"HS256\",\"kid\":\"key-1\",\"typ\":\"JWT\"}";
        String claims = TestSigningKey.claimsJson(42, "ADMIN");

        assertInvalid(verify(TestSigningKey.hs256(header, claims, KEY.publicKey().getEncoded())));
        assertInvalid(verify(TestSigningKey.hs256(header, claims,
                KEY.publicJwk().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void verifyWhenOtherRsaAlgorithmThenInvalid() {
        assertInvalid(verify(KEY.rs512Token(42, "SHOPPER")));
    }

    @Test
    void verifyWhenWrongOrMissingIssuerThenInvalid() {
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.issuer("someone-else"))));
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.issuer(null))));
    }

    @Test
    void verifyWhenKidMissingThenInvalid() {
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.header().keyId(null).and())));
    }

    @Test
    void verifyWhenExpirationMissingThenInvalid() {
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.expiration(null))));
    }

    @Test
    void verifyWhenSubjectOrRoleNotUsableThenInvalid() {
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.subject("alice"))));
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.subject("-3"))));
        assertInvalid(verify(KEY.token(42, "ROOT")));
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.claim("role", null))));
    }

    @Test
    void verifyWhenGarbageThenInvalid() {
        assertInvalid(verify("not-a-token"));
        assertInvalid(verify("a.b.c"));
        assertInvalid(verify(""));
    }

    @Test
    void verifyWhenUnknownKidThenKeySetDownloadedAgainAndTokenStillInvalid() {
        assertThat(verify(KEY.token(1, "SHOPPER"))).isInstanceOf(TokenVerification.Valid.class);
        int downloads = backend.jwksDownloads();

        assertInvalid(verify(TestSigningKey.generate("key-unknown").token(42, "ADMIN")));
        assertThat(backend.jwksDownloads()).as("within 10 s of the last download").isEqualTo(downloads);

        clock.advance(Duration.ofSeconds(10));
        assertInvalid(verify(TestSigningKey.generate("key-unknown").token(42, "ADMIN")));
        assertThat(backend.jwksDownloads()).isEqualTo(downloads + 1);
    }

    @Test
    void verifyWhenKeyRotatedThenNewKeyAcceptedAfterOneDownload() {
        assertThat(verify(KEY.token(1, "SHOPPER"))).isInstanceOf(TokenVerification.Valid.class);
        TestSigningKey next = TestSigningKey.generate("key-2");
        backend.publishKeys(KEY, next);
        int downloads = backend.jwksDownloads();
        clock.advance(Duration.ofSeconds(10));

        assertThat(verify(next.token(7, "SHOPPER")))
                .isEqualTo(new TokenVerification.Valid(new CallerIdentity(7, "SHOPPER", TestSigningKey.sessionOf(7))));
        assertThat(verify(next.token(8, "SHOPPER"))).isInstanceOf(TokenVerification.Valid.class);
        assertThat(backend.jwksDownloads()).isEqualTo(downloads + 1);
    }

    @Test
    void verifyWhenSessionRevokedThenRevokedEvenThoughTheTokenWasRememberedAsValid() {
        String token = KEY.token(501, "SHOPPER");
        assertThat(verify(token)).isInstanceOf(TokenVerification.Valid.class);

        backend.revokeSession(TestSigningKey.sessionOf(501));
        revocations.poll().block(TIMEOUT);

        assertThat(verify(token)).isInstanceOf(TokenVerification.Revoked.class);
        assertThat(verify(KEY.token(501, "SHOPPER"))).as("a fresh token of the same session")
                .isInstanceOf(TokenVerification.Revoked.class);
        assertThat(verify(KEY.token(502, "SHOPPER"))).isInstanceOf(TokenVerification.Valid.class);
    }

    @Test
    void verifyWhenNoSessionIdThenInvalid() {
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.claim("sid", null))));
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.claim("sid", " "))));
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.claim("sid", 7))));
        assertInvalid(verify(KEY.token(42, "SHOPPER", b -> b.claim("sid", "s".repeat(101)))));
    }

    @Test
    void verifyWhenSigningKeyLeftTheKeySetThenRememberedTokenRefusedAfterTheNextDownload() {
        TestSigningKey leaving = TestSigningKey.generate("key-leaving");
        backend.publishKeys(KEY, leaving);
        clock.advance(Duration.ofSeconds(10));
        String token = leaving.token(7, "SHOPPER");
        assertThat(verify(token)).isInstanceOf(TokenVerification.Valid.class);

        backend.publishKeys(KEY);
        clock.advance(MAX_AGE);
        keys.refreshIfOlderThanMaxAge().block(TIMEOUT);

        assertInvalid(verify(token));
        assertThat(verify(KEY.token(7, "SHOPPER"))).isInstanceOf(TokenVerification.Valid.class);
    }

    @Test
    void verifyWhenKeySetUnreachableAndNoKeyKnownThenKeysUnavailableQuickly() {
        JwtVerifier cut = verifier(TestBackend.closedPortUri().resolve("/.well-known/jwks.json"), Clock.systemUTC());
        long start = System.nanoTime();

        TokenVerification result = cut.verify(KEY.token(42, "SHOPPER")).block(TIMEOUT);

        assertThat(result).isInstanceOf(TokenVerification.KeysUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
