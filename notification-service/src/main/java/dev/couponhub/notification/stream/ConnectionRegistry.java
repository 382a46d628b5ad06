package dev.couponhub.notification.stream;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.couponhub.notification.config.NotificationProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The stream connections open on this instance, by user. Each connection has one bounded buffer (a unicast sink) that
 * carries everything its stream sends: the notifications, the keep-alive comments and the last {@code closed} event.
 * No thread and no timer per connection: one ticker per instance, every {@code sse.heartbeat}, gives each stream its
 * keep-alive and ends those past {@code sse.max-lifetime}. A slow client loses only its own newest events (it catches
 * up with {@code Last-Event-ID}) and never slows down the others. Thousands of streams each hold their own operators,
 * so a stream is as few of them as it can be (docs/benchmarks.md, memory per stream).
 */
@Component
class ConnectionRegistry implements SmartLifecycle {

    private final Map<Long, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final int bufferSize;
    private final Duration heartbeat;
    private final long maxLifetimeNanos;
    private volatile Disposable ticker;

    ConnectionRegistry(NotificationProperties properties, MeterRegistry meters) {
        this.bufferSize = properties.sse().bufferSize();
        this.heartbeat = properties.sse().heartbeat();
        this.maxLifetimeNanos = properties.sse().maxLifetime().toNanos();
        Gauge.builder("couponhub.sse.connections", open, AtomicInteger::get)
                .description("Open notification streams on this instance").register(meters);
    }

    /**
     * One open stream of one user. Its buffer holds {@link StreamAlert}s and ready frames ({@link SseFrames}); one
     * place of it is kept for the {@code closed} event, so that a stream pushed out always says why.
     */
    static final class Connection {

        private final long userId;
        private final String id = UUID.randomUUID().toString();
        private final long openedAt = System.nanoTime();
        private final int limit;
        private final Queue<Object> buffer;
        private final Sinks.Many<Object> sink;

        private Connection(long userId, int bufferSize) {
            this.userId = userId;
            this.buffer = Queues.<Object>get(bufferSize).get();
            this.limit = bufferSize - 1;
            this.sink = Sinks.many().unicast().onBackpressureBuffer(buffer);
        }

        long userId() {
            return userId;
        }

        /** Names the stream among the user's streams on every instance ({@link StreamLimits}). */
        String id() {
            return id;
        }

        /**
         * What the stream sends after its replay, buffered from the moment the connection was registered:
         * {@link StreamAlert}s, the keep-alive comments and, last, the {@code closed} event.
         */
        Flux<Object> live() {
            return sink.asFlux();
        }

        /** Serialised: several Redis messages, the ticker and a close may emit at once. */
        synchronized boolean emit(StreamAlert alert) {
            return buffer.size() < limit && sink.tryEmitNext(alert).isSuccess();
        }

        synchronized void keepAlive() {
            if (buffer.size() < limit) {
                sink.tryEmitNext(SseFrames.KEEP_ALIVE);
            }
        }

        /** Ends the stream with a last {@code closed} event carrying the reason. */
        synchronized void close(String reason) {
            sink.tryEmitNext(SseFrames.closed(reason));
            sink.tryEmitComplete();
        }

        /** Ends the stream without a word (its lifetime is over: the client reconnects). */
        synchronized void end() {
            sink.tryEmitComplete();
        }

        boolean olderThan(long nanos, long now) {
            return now - openedAt >= nanos;
        }
    }

    Connection open(long userId) {
        Connection connection = new Connection(userId, bufferSize);
        byUser.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(connection);
        open.incrementAndGet();
        return connection;
    }

    void close(Connection connection) {
        byUser.computeIfPresent(connection.userId(), (id, connections) -> {
            if (connections.remove(connection)) {
                open.decrementAndGet();
            }
            return connections.isEmpty() ? null : connections;
        });
    }

    /** Closes the user's stream of that id if this instance holds it; answers whether it did. */
    boolean close(long userId, String streamId, String reason) {
        Set<Connection> connections = byUser.get(userId);
        if (connections == null) {
            return false;
        }
        for (Connection connection : connections) {
            if (connection.id().equals(streamId)) {
                connection.close(reason);
                return true;
            }
        }
        return false;
    }

    boolean isConnected(long userId) {
        return byUser.containsKey(userId);
    }

    /** Hands the notification to each of the user's connections here; answers how many took it. */
    int deliver(long userId, StreamAlert alert) {
        Set<Connection> connections = byUser.get(userId);
        if (connections == null) {
            return 0;
        }
        int delivered = 0;
        for (Connection connection : connections) {
            if (connection.emit(alert)) {
                delivered++;
            }
        }
        return delivered;
    }

    /** One heartbeat: the streams past their lifetime end, the others get a keep-alive comment. */
    void tick() {
        long now = System.nanoTime();
        byUser.values().forEach(connections -> connections.forEach(connection -> {
            if (connection.olderThan(maxLifetimeNanos, now)) {
                connection.end();
            } else {
                connection.keepAlive();
            }
        }));
    }

    int openConnections() {
        return open.get();
    }

    @Override
    public void start() {
        ticker = Flux.interval(heartbeat, heartbeat).onBackpressureDrop().subscribe(beat -> tick());
    }

    @Override
    public void stop() {
        Disposable current = ticker;
        ticker = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }
}
