package dev.couponhub.gateway.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.couponhub.gateway.config.PartnerKeyProperties;
import dev.couponhub.gateway.config.ServicesProperties;

/**
 * Checks a store's API key: its SHA-256 (the key itself never leaves the gateway) is looked up at store-service, and
 * the answer (the key's id and store, or none) is remembered for {@code cache-ttl} ({@link PartnerKeyProperties}). A
 * failed look-up (store-service down or slow) is not remembered: the caller gets 503 and the next request asks again.
 */
@Component
public class PartnerKeys {

    /** Longest key accepted before it is hashed: store-service's keys have 44 characters. */
    static final int MAX_KEY_LENGTH = 200;

    private final WebClient webClient;
    private final URI base;
    private final PartnerKeyProperties properties;
    private final AsyncCache<String, Optional<PartnerIdentity>> answers;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Found(long keyId, long storeId) {
    }

    PartnerKeys(WebClient.Builder webClientBuilder, ServicesProperties services, PartnerKeyProperties properties) {
        this.base = services.store();
        this.properties = properties;
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.timeout().toMillis())
                .responseTimeout(properties.timeout());
        this.webClient = webClientBuilder.clone()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .observationConvention(new DefaultClientRequestObservationConvention("couponhub.partner-keys.requests"))
                .build();
        this.answers = Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl())
                .maximumSize(properties.maxEntries()).buildAsync();
    }

    /** The SHA-256 (hex) of a text sent as a key, or null when it cannot be a key (blank, too long). */
    static String hashOf(String key) {
        return key.isBlank() || key.length() > MAX_KEY_LENGTH ? null : sha256(key);
    }

    /**
     * The partner the key of this hash ({@link #hashOf}) belongs to, or empty for a key no active store holds; an
     * error when store-service cannot answer.
     */
    public Mono<Optional<PartnerIdentity>> identify(String hash) {
        return Mono.fromFuture(() -> answers.get(hash, (h, executor) -> lookUp(h).toFuture()));
    }

    /** Whether the answer for the key of this hash is remembered (no look-up needed). */
    boolean remembered(String hash) {
        return answers.getIfPresent(hash) != null;
    }

    private Mono<Optional<PartnerIdentity>> lookUp(String hash) {
        return webClient.get()
                .uri(base.resolve(properties.lookupPath() + hash))
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(Found.class)
                .map(found -> Optional.of(new PartnerIdentity(found.keyId(), found.storeId())))
                .onErrorResume(WebClientResponseException.class,
                        e -> e.getStatusCode() == HttpStatus.NOT_FOUND ? Mono.just(Optional.empty()) : Mono.error(e))
                .timeout(properties.timeout());
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
