package dev.couponhub.gateway.auth;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

import dev.couponhub.gateway.config.JwtProperties;
import dev.couponhub.gateway.testing.MutableClock;
import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;

class JwksKeyCacheTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final TestSigningKey key = TestSigningKey.generate("key-1");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T09:00:00Z"));
    private TestBackend backend;

    @BeforeEach
    void startBackend() {
        backend = TestBackend.start();
        backend.publishKeys(key);
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    private JwksKeyCache cache(Duration refreshInterval) {
        JwtProperties properties = new JwtProperties("couponhub", backend.jwksUri(), Duration.ofSeconds(30),
                Duration.ofSeconds(2), refreshInterval, Duration.ofMinutes(5), Duration.ofSeconds(60), 1000);
        return new JwksKeyCache(WebClient.builder(), properties, clock);
    }

    @Test
    void refreshWhenCalledAgainWithinIntervalThenNoSecondDownload() {
        JwksKeyCache cache = cache(Duration.ofSeconds(10));

        cache.refresh().block(TIMEOUT);
        clock.advance(Duration.ofSeconds(9));
        cache.refresh().block(TIMEOUT);

        assertThat(backend.jwksDownloads()).isEqualTo(1);
        assertThat(cache.find("key-1")).isEqualTo(key.publicKey());
    }

    @Test
    void refreshWhenIntervalPassedThenDownloadsAgain() {
        JwksKeyCache cache = cache(Duration.ofSeconds(10));

        cache.refresh().block(TIMEOUT);
        clock.advance(Duration.ofSeconds(10));
        cache.refresh().block(TIMEOUT);

        assertThat(backend.jwksDownloads()).isEqualTo(2);
    }

    @Test
    void keySetOlderThanMaxAgeThenDownloadedAgainAndRemovedKeyNoLongerFound() {
        TestSigningKey removed = TestSigningKey.generate("key-removed");
        backend.publishKeys(key, removed);
        JwksKeyCache cache = cache(Duration.ofSeconds(10));
        cache.refresh().block(TIMEOUT);
        assertThat(cache.find("key-removed")).isNotNull();
        backend.publishKeys(key);

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        cache.refreshIfOlderThanMaxAge().block(TIMEOUT);
        assertThat(backend.jwksDownloads()).as("younger than the maximum age").isEqualTo(1);
        assertThat(cache.find("key-removed")).isNotNull();

        clock.advance(Duration.ofSeconds(1));
        cache.refreshIfOlderThanMaxAge().block(TIMEOUT);
        assertThat(backend.jwksDownloads()).isEqualTo(2);
        assertThat(cache.find("key-removed")).isNull();
        assertThat(cache.find("key-1")).isEqualTo(key.publicKey());
    }

    @Test
    void refreshWhenCalledConcurrentlyThenOneSharedDownload() {
        JwksKeyCache cache = cache(Duration.ZERO);

        Mono.when(cache.refresh(), cache.refresh(), cache.refresh()).block(TIMEOUT);

        assertThat(backend.jwksDownloads()).isEqualTo(1);
        assertThat(cache.isEmpty()).isFalse();
    }

    @Test
    void refreshWhenDownloadFailsThenKnownKeysKept() {
        JwksKeyCache cache = cache(Duration.ZERO);
        cache.refresh().block(TIMEOUT);

        backend.publishRawKeySet("<html>maintenance</html>");
        cache.refresh().block(TIMEOUT);

        assertThat(backend.jwksDownloads()).isEqualTo(2);
        assertThat(cache.find("key-1")).isEqualTo(key.publicKey());
    }

    @Test
    void parseKeysWhenKeysNotMeantForRs256SigningThenSkipped() {
        TestSigningKey other = TestSigningKey.generate("key-2");
        String encryptionKey = other.withKeyId("enc").publicJwk().replace("\"use\":\"sig\"", "\"use\":\"enc\"");
        String rs512Key = other.withKeyId("rs512").publicJwk().replace("\"alg\":\"RS256\"", "\"alg\":\"RS512\"");
        String json = "{\"keys\":[" + key.publicJwk() + "," + encryptionKey + "," + rs512Key + "]}";

        assertThat(JwksKeyCache.parseKeys(json)).containsOnlyKeys("key-1");
    }
}
