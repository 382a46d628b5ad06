package dev.couponhub.gateway.stock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBufferFactory;
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
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

/**
 * The live stock streams ({@code GET /api/v1/coupons/{id}/stock/stream}), relayed: every viewer of a coupon sees the
 * same anonymous events, so this gateway instance opens ONE stream of the coupon from notification-service, however
 * many of its viewers are here, and writes each event to all of them itself. Proxying each viewer's stream instead
 * cost a read and a write on two more sockets per event and viewer, and a connection to notification-service per
 * viewer (docs/benchmarks.md, runs 111–131).
 *
 * <p>Each event's bytes are encoded once per coupon. Each viewer's stream is one long write of its response
 * ({@link Flux#create}, fed by the relay), not a write per event. A coupon's viewers are dealt round robin into
 * {@value #GROUPS} groups, and a new stock reaches group {@code g} after {@code spread × g / GROUPS}, from one
 * relay thread: the writes of a stock change to thousands of viewers are spread over {@code spread} instead of
 * taking the event loops from the requests all at once, and each viewer still gets the events in order.
 *
 * <p>A new viewer gets the latest stock at once. When notification-service ends the coupon's stream without a last
 * stock ({@code SOLD_OUT}/{@code ENDED}), e.g. at its stream's lifetime or a restart, the relay opens it again (1 s,
 * doubling to 10 s between failed tries) and the viewers notice nothing but a possibly missed intermediate stock; the
 * last viewer leaving closes it. A viewer's first answer is notification-service's: a refusal (404
 * {@code COUPON_NOT_FOUND}, 400, 503) is passed on as it came; no first stock within
 * {@code couponhub.gateway.stock.first-event-within} is 503 {@code DEPENDENCY_UNAVAILABLE}.
 */
@Component
public class StockRelay implements DisposableBean {

    /** notification-service's path of a coupon's stock stream, also the gateway's public one. */
    public static final String PATH = "/api/v1/coupons/{id}/stock/stream";

    /** How many groups a coupon's viewers are dealt into, each written {@code spread / GROUPS} after the previous. */
    static final int GROUPS = 20;

    private static final Logger log = LoggerFactory.getLogger(StockRelay.class);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final String STOCK = "stock";
    private static final Frame KEEP_ALIVE = new Frame(":keep-alive\n\n".getBytes(StandardCharsets.US_ASCII), "", false);
    /** Not an event: the viewer's stream ends here (the coupon's stream failed after it had started). */
    private static final Frame END = new Frame(new byte[0], "", true);
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
    private final Map<String, Relayed> relayed = new ConcurrentHashMap<>();
    private final AtomicInteger viewers = new AtomicInteger();
    /** The one thread that hands each coupon's events to its viewers, group after group. */
    private final Scheduler fanOut = Schedulers.newSingle("stock-relay", true);
    private final Disposable keepAlive;

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
        long heartbeat = properties.heartbeat().toMillis();
        this.keepAlive = fanOut.schedulePeriodically(
                () -> relayed.values().forEach(coupon -> coupon.each(viewer -> viewer.send(KEEP_ALIVE))),
                heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        Gauge.builder("couponhub.gateway.stock.relayed", relayed, Map::size)
                .description("Coupons whose stock stream this gateway relays (one stream from notification-service each)")
                .register(meters);
        Gauge.builder("couponhub.gateway.stock.viewers", viewers, AtomicInteger::get)
                .description("Open live stock streams of this gateway's viewers").register(meters);
    }

    @Override
    public void destroy() {
        keepAlive.dispose();
        relayed.values().forEach(Relayed::close);
        fanOut.dispose();
    }

    /** Answers one viewer of the coupon: its stock stream, or notification-service's refusal, or 503. */
    public Mono<Void> serve(ServerWebExchange exchange, String couponId) {
        ServerHttpResponse response = exchange.getResponse();
        return Mono.defer(() -> {
            Relayed coupon = hold(couponId);
            viewers.incrementAndGet();
            return coupon.first()
                    .timeout(properties.firstEventWithin(),
                            Mono.error(() -> new TimeoutException("no first stock within "
                                    + properties.firstEventWithin())))
                    .flatMap(first -> {
                        response.setStatusCode(HttpStatus.OK);
                        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
                        response.getHeaders().setCacheControl("no-store");
                        DataBufferFactory buffers = response.bufferFactory();
                        return response.writeWith(coupon.stream()
                                .take(properties.maxLifetime())
                                .map(frame -> buffers.wrap(frame.bytes())));
                    })
                    .doFinally(signal -> {
                        viewers.decrementAndGet();
                        coupon.release();
                    });
        })
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
                });
    }

    /** The coupon as relayed here, held for one more viewer: its stream is opened by the first one. */
    Relayed hold(String couponId) {
        while (true) {
            Relayed coupon = relayed.compute(couponId,
                    (id, existing) -> existing != null && !existing.isClosed() ? existing : new Relayed(id));
            if (coupon.hold()) {
                return coupon;
            }
        }
    }

    /** A viewer's stream: the frames the relay gives it, in order, ending at the last stock. */
    private static final class Viewer {
        final FluxSink<Frame> sink;
        final int group;

        Viewer(FluxSink<Frame> sink, int group) {
            this.sink = sink;
            this.group = group;
        }

        void send(Frame frame) {
            if (frame != END) {
                sink.next(frame);
            }
            if (frame.last()) {
                sink.complete();
            }
        }
    }

    /**
     * One coupon relayed on this instance: its stream from notification-service, its latest stock and its viewers.
     * Open while someone holds it (a viewer streaming or waiting for the first stock); closed for good when the last
     * one leaves or the stream from notification-service ends.
     */
    final class Relayed {
        private final String couponId;
        private final Sinks.One<Frame> first = Sinks.one();
        @SuppressWarnings("unchecked")
        private final Set<Viewer>[] groups = new Set[GROUPS];
        private int holders;
        private int dealt;
        private boolean closed;
        private boolean started;
        @Nullable
        private Frame latest;
        @Nullable
        private Disposable upstream;

        Relayed(String couponId) {
            this.couponId = couponId;
            for (int g = 0; g < GROUPS; g++) {
                groups[g] = ConcurrentHashMap.newKeySet();
            }
        }

        synchronized boolean isClosed() {
            return closed;
        }

        /** One more holder; opens the coupon's stream for the first. False when already closed. */
        boolean hold() {
            synchronized (this) {
                if (closed) {
                    return false;
                }
                holders++;
                if (started) {
                    return true;
                }
                started = true;
            }
            Disposable subscription = source(couponId).subscribe(this::publish, this::fail, () -> fail(null));
            synchronized (this) {
                if (!closed) {
                    upstream = subscription;
                    return true;
                }
            }
            subscription.dispose();
            return true;
        }

        void release() {
            synchronized (this) {
                if (--holders > 0 || closed) {
                    return;
                }
            }
            close();
        }

        /** The first stock (at once when there is one), or the refusal or failure of the coupon's stream. */
        Mono<Frame> first() {
            return first.asMono();
        }

        /** A new viewer's stream: the latest stock, then every change, ending at the last stock. */
        Flux<Frame> stream() {
            return Flux.create(sink -> {
                Viewer viewer;
                synchronized (this) {
                    viewer = new Viewer(sink, dealt++ % GROUPS);
                    // under the lock that publish() takes: no newer stock can reach this viewer before this one
                    if (latest != null) {
                        viewer.send(latest);
                    }
                    if (closed) {
                        sink.complete();
                        return;
                    }
                    groups[viewer.group].add(viewer);
                }
                sink.onDispose(() -> groups[viewer.group].remove(viewer));
            });
        }

        void each(Consumer<Viewer> action) {
            for (Set<Viewer> group : groups) {
                group.forEach(action);
            }
        }

        /** A new stock from notification-service: to every viewer, group after group. */
        private void publish(Frame frame) {
            Viewer[][] audience = new Viewer[GROUPS][];
            synchronized (this) {
                latest = frame;
                for (int g = 0; g < GROUPS; g++) {
                    audience[g] = groups[g].toArray(new Viewer[0]);
                }
            }
            first.tryEmitValue(frame);
            deliver(audience, frame);
        }

        /** The coupon's stream ended (after its last stock, or failed for good): its viewers' streams end too. */
        private void fail(@Nullable Throwable failure) {
            first.tryEmitError(failure != null ? failure
                    : new TimeoutException("the stream ended before its first stock"));
            Viewer[][] audience = new Viewer[GROUPS][];
            synchronized (this) {
                closed = true;
                for (int g = 0; g < GROUPS; g++) {
                    audience[g] = groups[g].toArray(new Viewer[0]);
                }
            }
            relayed.remove(couponId, this);
            deliver(audience, END);
        }

        void close() {
            Disposable subscription;
            synchronized (this) {
                closed = true;
                subscription = upstream;
            }
            relayed.remove(couponId, this);
            if (subscription != null) {
                subscription.dispose();
            }
        }

        private void deliver(Viewer[][] audience, Frame frame) {
            long spread = properties.spread().toNanos();
            for (int g = 0; g < GROUPS; g++) {
                Viewer[] group = audience[g];
                if (group.length == 0) {
                    continue;
                }
                Runnable write = () -> {
                    for (Viewer viewer : group) {
                        viewer.send(frame);
                    }
                };
                fanOut.schedule(write, spread * g / GROUPS, TimeUnit.NANOSECONDS);
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
