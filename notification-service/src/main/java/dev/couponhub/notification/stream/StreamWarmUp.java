package dev.couponhub.notification.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;

import dev.couponhub.notification.alert.AlertContent;
import dev.couponhub.notification.alert.Delivery;
import dev.couponhub.notification.alert.FanOutWarmUp;
import dev.couponhub.notification.alert.NewAlerts;
import dev.couponhub.notification.config.NotificationProperties;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Runs the alert path's hot code before the first fan-out does. Right after a start that code runs interpreted, and
 * the JIT compiler's threads take most of the two cores while the first fan-outs run: a publish to 10,000 subscribers
 * took p99 2.3–3.5 s the first time and settled only from the seventh on (docs/benchmarks.md). So,
 * once the service is ready, this opens {@code warm-up.streams} alert streams to the service itself, over the protocol
 * the gateway uses ({@code server.http2.enabled}: h2c, else HTTP/1.1), as synthetic users that no account has (the
 * largest ids), hands them {@code warm-up.events-per-stream} broadcasts through {@link AlertBroadcaster#dispatch} (the
 * Redis message's parsing, the hand-over to the connections, the SSE encoding, the HTTP/2 frames and the socket
 * writes), each once every stream read the one before, and closes them; then {@link FanOutWarmUp} writes
 * {@code warm-up.pages} fan-out pages and rolls them back. Nothing is kept and nothing is published on Redis: only these
 * streams receive these events; while open, they count in the open-stream limit of their own users and in
 * {@code couponhub.sse.connections}. It runs in the background: the service serves meanwhile.
 */
@Component
public class StreamWarmUp {

    private static final Logger log = LoggerFactory.getLogger(StreamWarmUp.class);

    /** The warm-up's users: counted down from the largest id, which no account reaches. */
    static final long FIRST_USER = FanOutWarmUp.FIRST_USER;

    /** The header the gateway names the user with, as the warm-up's streams send it. */
    private static final String USER_HEADER = "X-User-Id";

    /** How long one round (or the opening of the streams) may take before the warm-up gives up. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(20);

    /**
     * What a warm-up did.
     *
     * @param streams  streams opened
     * @param events   notifications handed to them (streams × rounds run)
     * @param received notifications the streams delivered
     * @param took     from the first stream opened to the last closed
     */
    public record Result(int streams, long events, long received, Duration took) {
    }

    private final AlertBroadcaster broadcaster;
    private final FanOutWarmUp fanOut;
    private final ConnectionRegistry connections;
    private final Environment environment;
    private final NotificationProperties.WarmUp settings;
    private volatile Result last;

    StreamWarmUp(AlertBroadcaster broadcaster, FanOutWarmUp fanOut, ConnectionRegistry connections,
                 Environment environment, NotificationProperties properties) {
        this.broadcaster = broadcaster;
        this.fanOut = fanOut;
        this.connections = connections;
        this.environment = environment;
        this.settings = properties.warmUp();
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        if (!settings.enabled() || !(event.getApplicationContext() instanceof WebServerApplicationContext web)
                || web.getWebServer() == null) {
            return;
        }
        int port = web.getWebServer().getPort();
        Thread thread = new Thread(() -> {
            try {
                Result result = run(port, settings.streams(), settings.eventsPerStream());
                long started = System.nanoTime();
                int alerts = fanOut.run(settings.pages());
                log.info("Warmed up: {} notifications over {} alert streams in {} ms, {} fan-out alerts written and "
                                + "rolled back in {} ms", result.received(), result.streams(), result.took().toMillis(),
                        alerts, (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("Warm-up stopped: {}", e.toString());
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether a request is one of the warm-up's own streams (its user is one of the warm-up's: the largest ids). Those
     * stay out of the request metrics and traces ({@code StreamWarmUpConfig}), which count what clients asked for.
     */
    public boolean isWarmUpRequest(HttpHeaders headers) {
        String user = headers.getFirst(USER_HEADER);
        if (user == null) {
            return false;
        }
        try {
            return Long.parseLong(user.trim()) > FIRST_USER - settings.streams();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The last warm-up's result; null before one ended. */
    public Result last() {
        return last;
    }

    /**
     * Opens the streams on the service's port, hands them the events and closes them; blocks until they are closed
     * here. Throws when a stream does not open or a round is not delivered in time (the streams are closed all the
     * same).
     */
    Result run(int port, int streams, int eventsPerStream) {
        long started = System.nanoTime();
        boolean h2c = environment.getProperty("server.http2.enabled", Boolean.class, false);
        ConnectionProvider provider = ConnectionProvider.builder("stream-warm-up").maxConnections(streams).build();
        HttpClient client = HttpClient.create(provider)
                .protocol(h2c ? HttpProtocol.H2C : HttpProtocol.HTTP11)
                .baseUrl("http://127.0.0.1:" + port);
        EventCounter[] counters = new EventCounter[streams];
        List<Disposable> open = new ArrayList<>(streams);
        long rounds = 0;
        try {
            for (int i = 0; i < streams; i++) {
                EventCounter counter = counters[i] = new EventCounter();
                String userId = Long.toString(FIRST_USER - i);
                open.add(client.headers(headers -> headers.set(HttpHeaders.ACCEPT, MediaType.TEXT_EVENT_STREAM_VALUE)
                                .set(USER_HEADER, userId).set("X-User-Role", "SHOPPER"))
                        .get().uri("/api/v1/notifications/stream")
                        .responseContent()
                        .subscribe(counter::count, error -> { }));
            }
            // each stream's first event is its ":connected" comment
            await(() -> min(counters, EventCounter::events), 1, "the streams to open");
            AlertContent content = fanOut.content();
            for (long round = 1; round <= eventsPerStream; round++) {
                broadcaster.dispatch(broadcast(content, streams, round));
                rounds = round;
                long delivered = round;
                await(() -> min(counters, EventCounter::notifications), delivered, "round " + round);
            }
        } finally {
            open.forEach(Disposable::dispose);
            provider.disposeLater().block(Duration.ofSeconds(10));
        }
        await(() -> LongStream.range(0, streams).anyMatch(i -> connections.isConnected(FIRST_USER - i)) ? 0 : 1, 1,
                "the streams to close");
        long received = 0;
        for (EventCounter counter : counters) {
            received += counter.notifications();
        }
        last = new Result(streams, rounds * streams, received, Duration.ofNanos(System.nanoTime() - started));
        return last;
    }

    /** The Redis message of one round: the warm-up's alert, to every stream (the round as its notification id). */
    private String broadcast(AlertContent content, int streams, long round) {
        List<Delivery> deliveries = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            deliveries.add(new Delivery(FIRST_USER - i, round));
        }
        return broadcaster.message(List.of(new NewAlerts(content, Instant.now(), deliveries)));
    }

    private static long min(EventCounter[] counters, ToLongFunction<EventCounter> count) {
        long min = Long.MAX_VALUE;
        for (EventCounter counter : counters) {
            min = Math.min(min, count.applyAsLong(counter));
        }
        return min;
    }

    private static void await(LongSupplier value, long atLeast, String what) {
        long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
        while (value.getAsLong() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * Counts what one stream delivers as it arrives, whatever the chunks: events (each ends with an empty line: the
     * comments too) and notifications (events with an {@code id:} line).
     */
    static final class EventCounter {

        private final AtomicLong events = new AtomicLong();
        private final AtomicLong notifications = new AtomicLong();
        private int column;
        private boolean idLine;
        private boolean emptyLine = true;

        void count(ByteBuf chunk) {
            for (int i = chunk.readerIndex(); i < chunk.writerIndex(); i++) {
                byte b = chunk.getByte(i);
                if (b == '\n') {
                    if (column == 0 && !emptyLine) {
                        events.incrementAndGet();
                        emptyLine = true;
                    } else if (column > 0) {
                        emptyLine = false;
                    }
                    column = 0;
                    continue;
                }
                idLine = column == 0 ? b == 'i' : idLine && (column == 1 ? b == 'd' : column != 2 || b == ':');
                column++;
                if (column == 3 && idLine) {
                    notifications.incrementAndGet();
                }
            }
        }

        long events() {
            return events.get();
        }

        long notifications() {
            return notifications.get();
        }
    }
}
