package dev.couponhub.gateway.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.netty.channel.ChannelOption;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.couponhub.gateway.config.ServicesProperties;
import dev.couponhub.gateway.config.SessionProperties;

/**
 * The sessions that ended, as user-service lists them ({@code GET /internal/v1/session-revocations?after=<id>}): every
 * {@code poll-interval} this gateway asks for the revocations after the last one it knows, so every instance learns a
 * revocation within about that long, with no shared store and nothing to deliver to each instance. Each revoked
 * session id is remembered for {@code retention} (longer than any access token of it lives). Open requests of a
 * revoked session that are still running (event streams) end when the revocation arrives ({@link #ended(String)}).
 *
 * <p>While user-service cannot be reached the gateway keeps what it knows and keeps asking: revocations made meanwhile
 * take effect once it answers again (logged as a warning once per outage).
 */
@Component
public class SessionRevocations {

    private static final Logger log = LoggerFactory.getLogger(SessionRevocations.class);
    static final int PAGE = 1000;

    private final WebClient webClient;
    private final URI uri;
    private final SessionProperties properties;
    private final Clock clock;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final Sinks.Many<String> newlyRevoked = Sinks.many().multicast().directBestEffort();

    private volatile long cursor;
    private volatile boolean failing;
    private volatile boolean loaded;
    private Disposable polling;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Revocation(long id, String sessionId, Instant revokedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Page(List<Revocation> revocations) {
    }

    SessionRevocations(WebClient.Builder webClientBuilder, ServicesProperties services, SessionProperties properties,
                       Clock clock) {
        this.uri = UriComponentsBuilder.fromUri(services.user()).path(properties.revocationsPath()).build().toUri();
        this.properties = properties;
        this.clock = clock;
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.timeout().toMillis())
                .responseTimeout(properties.timeout());
        this.webClient = webClientBuilder.clone()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .observationConvention(new DefaultClientRequestObservationConvention("couponhub.sessions.requests"))
                .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void startPolling() {
        if (polling == null) {
            polling = Flux.interval(Duration.ZERO, properties.pollInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> poll(), 1)
                    .subscribe();
        }
    }

    @PreDestroy
    synchronized void stopPolling() {
        if (polling != null) {
            polling.dispose();
        }
    }

    /** Whether the session was revoked (as far as this instance has learnt). */
    public boolean isRevoked(String sessionId) {
        return revoked.containsKey(sessionId);
    }

    /** Completes when the session is revoked (at once if it already is). */
    public Mono<Void> ended(String sessionId) {
        // subscribed to the news first, then the map checked: a revocation between the two is seen by one of them
        return Flux.merge(newlyRevoked.asFlux().filter(sessionId::equals),
                        Mono.fromCallable(() -> isRevoked(sessionId)).filter(Boolean::booleanValue).map(b -> sessionId))
                .next()
                .then();
    }

    /** Whether at least one answer of user-service arrived since start-up. */
    public boolean loaded() {
        return loaded;
    }

    /** Asks for every revocation after the last one known, page by page; never fails. */
    Mono<Void> poll() {
        return page().expand(count -> count == PAGE ? page() : Mono.empty())
                .then(Mono.fromRunnable(this::forgetOld))
                .doOnSuccess(done -> {
                    loaded = true;
                    if (failing) {
                        failing = false;
                        log.info("Session revocations from {} are read again", uri);
                    }
                })
                .onErrorResume(e -> {
                    if (!failing) {
                        failing = true;
                        log.warn("Cannot read session revocations from {} (will keep asking): {}", uri, e.toString());
                    }
                    return Mono.empty();
                })
                .then();
    }

    /** One page after the cursor; emits how many revocations it held. */
    private Mono<Integer> page() {
        return webClient.get()
                .uri(UriComponentsBuilder.fromUri(uri).queryParam("after", cursor).queryParam("limit", PAGE)
                        .build().toUri())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(Page.class)
                .timeout(properties.timeout())
                .map(this::apply);
    }

    private int apply(Page page) {
        List<Revocation> revocations = page.revocations() == null ? List.of() : page.revocations();
        for (Revocation revocation : revocations) {
            if (revocation.sessionId() != null && revocation.id() > cursor) {
                revoked.put(revocation.sessionId(), revocation.revokedAt() != null ? revocation.revokedAt()
                        : clock.instant());
                newlyRevoked.tryEmitNext(revocation.sessionId());
                cursor = revocation.id();
            }
        }
        return revocations.size();
    }

    private void forgetOld() {
        Instant oldest = clock.instant().minus(properties.retention());
        revoked.values().removeIf(at -> at.isBefore(oldest));
    }
}
