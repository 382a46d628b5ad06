package dev.couponhub.gateway.auth;

import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.RsaPublicJwk;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.annotation.PreDestroy;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

import dev.couponhub.gateway.config.JwtProperties;

/**
 * The public keys user-service signs access tokens with, downloaded from its JWKS endpoint and kept in
 * memory. A download happens at start-up, again when a token names an unknown key id (at most once
 * per {@code couponhub.gateway.jwt.jwks-refresh-interval}), and whenever the last one started
 * {@code couponhub.gateway.jwt.jwks-max-age} ago: a key removed from the set is then no longer found, so tokens it
 * signed are refused without a restart (also those {@link JwtVerifier} remembers as verified). Concurrent requests
 * share one download. Downloads are non-blocking and bounded by {@code couponhub.gateway.jwt.jwks-timeout}. A failed
 * download keeps the keys already known.
 */
@Component
class JwksKeyCache {

    private static final Logger log = LoggerFactory.getLogger(JwksKeyCache.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    private final WebClient webClient;
    private final URI jwksUri;
    private final Duration timeout;
    private final Duration refreshInterval;
    private final Duration maxAge;
    private final Clock clock;
    private Disposable ageing;

    private volatile Map<String, PublicKey> keys = Map.of();

    // guarded by this
    private Instant lastAttempt;
    // guarded by this
    private Mono<Void> inFlight;

    JwksKeyCache(WebClient.Builder webClientBuilder, JwtProperties properties, Clock clock) {
        this.jwksUri = properties.jwksUri();
        this.timeout = properties.jwksTimeout();
        this.refreshInterval = properties.jwksRefreshInterval();
        this.maxAge = properties.jwksMaxAge();
        this.clock = clock;
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .responseTimeout(timeout);
        this.webClient = webClientBuilder.clone()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                // own metric name: the gateway's proxy observations own "http.client.requests" with other tags
                .observationConvention(new DefaultClientRequestObservationConvention("couponhub.jwks.requests"))
                .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void loadAtStartup() {
        refresh().subscribe();
        if (ageing == null) {
            // checks often, downloads only when the key set is older than the maximum age
            Duration check = maxAge.compareTo(CHECK_EVERY) < 0 ? maxAge : CHECK_EVERY;
            ageing = Flux.interval(check, check)
                    .onBackpressureDrop()
                    .concatMap(tick -> refreshIfOlderThanMaxAge(), 1)
                    .subscribe();
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (ageing != null) {
            ageing.dispose();
        }
    }

    /** Downloads the key set if the last download started {@code jwks-max-age} ago or longer. Never fails. */
    Mono<Void> refreshIfOlderThanMaxAge() {
        synchronized (this) {
            if (lastAttempt != null && clock.instant().isBefore(lastAttempt.plus(maxAge))) {
                return Mono.empty();
            }
        }
        return refresh();
    }

    PublicKey find(String keyId) {
        return keys.get(keyId);
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * Downloads the key set unless a download is running (then joins it) or the last one started less
     * than the refresh interval ago (then completes at once). Never fails.
     */
    Mono<Void> refresh() {
        synchronized (this) {
            if (inFlight != null) {
                return inFlight;
            }
            Instant now = clock.instant();
            if (lastAttempt != null && now.isBefore(lastAttempt.plus(refreshInterval))) {
                return Mono.empty();
            }
            lastAttempt = now;
            // cleared before subscribers see the outcome, so that they may start the next download
            Mono<Void> download = download()
                    .doOnTerminate(this::clearInFlight)
                    .doOnCancel(this::clearInFlight)
                    .cache();
            inFlight = download;
            return download;
        }
    }

    private synchronized void clearInFlight() {
        inFlight = null;
    }

    private Mono<Void> download() {
        return webClient.get()
                .uri(jwksUri)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(String.class)
                .timeout(timeout)
                .map(JwksKeyCache::parseKeys)
                .doOnNext(this::replaceKeys)
                .doOnError(e -> log.warn("Cannot load token signing keys from {}: {}", jwksUri, e.toString()))
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    private void replaceKeys(Map<String, PublicKey> found) {
        if (found.isEmpty()) {
            log.warn("The key set at {} holds no RS256 signing key; keeping the {} keys known", jwksUri,
                    keys.size());
            return;
        }
        keys = found;
        log.info("Loaded token signing keys {} from {}", found.keySet(), jwksUri);
    }

    static Map<String, PublicKey> parseKeys(String json) {
        JwkSet set = Jwks.setParser().build().parse(json);
        Map<String, PublicKey> found = new HashMap<>();
        for (Jwk<?> jwk : set) {
            if (!(jwk instanceof RsaPublicJwk rsa)) {
                continue;
            }
            String keyId = rsa.getId();
            String use = rsa.getPublicKeyUse();
            String algorithm = rsa.getAlgorithm();
            if (keyId == null || keyId.isBlank()
                    || (use != null && !"sig".equals(use))
                    || (algorithm != null && !"RS256".equals(algorithm))) {
                continue;
            }
            found.put(keyId, rsa.toKey());
        }
        return Map.copyOf(found);
    }
}
