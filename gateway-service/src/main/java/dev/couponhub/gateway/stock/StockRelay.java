package dev.couponhub.gateway.stock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.gateway.config.ServicesProperties;
import dev.couponhub.gateway.config.StockRelayProperties;
import dev.couponhub.gateway.problem.ProblemWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

/**
 * The live stock streams ({@code GET /api/v1/coupons/{id}/stock/stream}), relayed: every viewer of a coupon sees the
 * same anonymous events, so this gateway instance opens ONE stream of the coupon from notification-service, however
 * many of its viewers are here, and writes each event to all of them itself. Proxying each viewer's stream instead
 * cost a read and a write on two more sockets per event and viewer, and a connection to notification-service per
 * viewer: about 34 µs of CPU per event against about 15 now (docs/benchmarks.md, runs 111–119).
 *
 * <p>Each event's bytes are encoded once per coupon and written to every viewer as they are. A new viewer gets the
 * latest stock at once (the shared stream replays it). When notification-service ends the coupon's stream without a
 * last stock ({@code SOLD_OUT}/{@code ENDED}), e.g. at its stream's lifetime or a restart, the relay opens it again
 * (1 s, doubling to 10 s between failed tries) and the viewers notice nothing but a possibly missed intermediate
 * stock; the last viewer leaving closes it. A viewer's first answer is notification-service's: a refusal (404
 * {@code COUPON_NOT_FOUND}, 400, 503) is passed on as it came; no first stock within
 * {@code couponhub.gateway.stock.first-event-within} is 503 {@code DEPENDENCY_UNAVAILABLE}.
 */
@Component
public class StockRelay {

    /** notification-service's path of a coupon's stock stream, also the gateway's public one. */
    public static final String PATH = "/api/v1/coupons/{id}/stock/stream";

    private static final Logger log = LoggerFactory.getLogger(StockRelay.class);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final String STOCK = "stock";
    private static final Frame KEEP_ALIVE = new Frame(":keep-alive\n\n".getBytes(StandardCharsets.US_ASCII), "", false);
    private static final Duration MOST_BETWEEN_TRIES = Duration.ofSeconds(10);

    /** One event as every viewer gets it: its bytes on the wire, its data, and whether it is the last stock. */
    record Frame(byte[] bytes, String data, boolean last) {
    }

    /** notification-service's answer other than a stream, passed on to the viewers as it came. */
    static final class Refused extends RuntimeException {
        final HttpStatusCode status;
        @Nullable
        final MediaType contentType;
        final byte[] body;

        Refused(HttpStatusCode status, @Nullable MediaType contentType, byte[] body) {
            super("notification-service answered " + status.value(), null, false, false);
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }
    }

    private final WebClient notification;
    private final ObjectMapper json;
    private final ProblemWriter problems;
    private final StockRelayProperties properties;
    private final Map<String, Flux<Frame>> relayed = new ConcurrentHashMap<>();
    private final AtomicInteger viewers = new AtomicInteger();
    private final Flux<Frame> keepAlive;

    StockRelay(WebClient.Builder builder, ServicesProperties services, StockRelayProperties properties,
               ObjectMapper json, ProblemWriter problems, MeterRegistry meters) {
        // one connection per watched coupon, held as long as it is watched: not from a bounded pool
        HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000);
        this.notification = builder.clone().baseUrl(services.notification().toString())
                .clientConnector(new ReactorClientHttpConnector(http)).build();
        this.json = json;
        this.problems = problems;
        this.properties = properties;
        this.keepAlive = Flux.interval(properties.heartbeat()).map(tick -> KEEP_ALIVE).share();
        Gauge.builder("couponhub.gateway.stock.relayed", relayed, Map::size)
                .description("Coupons whose stock stream this gateway relays (one stream from notification-service each)")
                .register(meters);
        Gauge.builder("couponhub.gateway.stock.viewers", viewers, AtomicInteger::get)
                .description("Open live stock streams of this gateway's viewers").register(meters);
    }

    /** Answers one viewer of the coupon: its stock stream, or notification-service's refusal, or 503. */
    public Mono<Void> serve(ServerWebExchange exchange, String couponId) {
        ServerHttpResponse response = exchange.getResponse();
        viewers.incrementAndGet();
        return watch(couponId)
                .timeout(Mono.delay(properties.firstEventWithin()), frame -> Mono.never())
                .switchOnFirst((first, frames) -> {
                    if (!first.hasValue()) {
                        return Mono.error(first.hasError() ? first.getThrowable()
                                : new TimeoutException("the stream ended before its first stock"));
                    }
                    response.setStatusCode(HttpStatus.OK);
                    response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
                    response.getHeaders().setCacheControl("no-store");
                    Flux<Frame> stream = Flux.merge(frames.materialize(), keepAlive.map(Signal::next))
                            .<Frame>dematerialize()
                            .take(properties.maxLifetime());
                    return response.writeAndFlushWith(stream.map(frame ->
                            Mono.just(response.bufferFactory().wrap(frame.bytes()))));
                })
                .then()
                .onErrorResume(Refused.class, refused -> {
                    if (response.isCommitted()) {
                        return Mono.empty();
                    }
                    response.setStatusCode(refused.status);
                    response.getHeaders().setContentType(refused.contentType != null ? refused.contentType
                            : MediaType.APPLICATION_PROBLEM_JSON);
                    return response.writeWith(Mono.just(response.bufferFactory().wrap(refused.body)));
                })
                .onErrorResume(failure -> !response.isCommitted(), failure -> {
                    log.warn("Live stock of coupon {} unavailable: {}", couponId, failure.toString());
                    return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE",
                            "notification-service is unavailable; try again later.");
                })
                .doFinally(signal -> viewers.decrementAndGet());
    }

    /** The coupon's shared stream on this instance: opened by its first viewer, closed when its last one leaves. */
    Flux<Frame> watch(String couponId) {
        while (true) {
            Flux<Frame> existing = relayed.get(couponId);
            if (existing != null) {
                return existing;
            }
            AtomicReference<Flux<Frame>> self = new AtomicReference<>();
            Flux<Frame> shared = source(couponId)
                    .doFinally(signal -> relayed.remove(couponId, self.get()))
                    .replay(1)
                    .refCount();
            self.set(shared);
            if (relayed.putIfAbsent(couponId, shared) == null) {
                return shared;
            }
        }
    }

    /** The coupon's stream from notification-service, opened again until it gave the last stock. */
    private Flux<Frame> source(String couponId) {
        AtomicBoolean ended = new AtomicBoolean();
        Duration firstTry = properties.reconnectDelay().isZero() ? Duration.ofMillis(10) : properties.reconnectDelay();
        return Flux.defer(() -> upstream(couponId))
                .doOnNext(frame -> {
                    if (frame.last()) {
                        ended.set(true);
                    }
                })
                .repeatWhen(ends -> ends.takeWhile(end -> !ended.get()).delayElements(firstTry))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, firstTry).maxBackoff(MOST_BETWEEN_TRIES)
                        .transientErrors(true)
                        .filter(failure -> !(failure instanceof Refused)))
                .distinctUntilChanged(Frame::data);
    }

    private Flux<Frame> upstream(String couponId) {
        return notification.get().uri(PATH, couponId).accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToFlux(answer -> answer.statusCode().value() == 200
                        ? answer.bodyToFlux(SSE).filter(event -> STOCK.equals(event.event()) && event.data() != null)
                                .map(event -> frame(event.data()))
                        : answer.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                                .flatMapMany(body -> Flux.error(new Refused(answer.statusCode(),
                                        answer.headers().contentType().orElse(null), body))));
    }

    private Frame frame(String data) {
        byte[] bytes = ("event:" + STOCK + "\ndata:" + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        return new Frame(bytes, data, isLast(data));
    }

    /** {@code SOLD_OUT} or {@code ENDED}: nothing more will change (API.md). */
    private boolean isLast(String data) {
        try {
            JsonNode status = json.readTree(data).path("status");
            return "SOLD_OUT".equals(status.asText()) || "ENDED".equals(status.asText());
        } catch (Exception malformed) {
            return false;
        }
    }
}
