package dev.couponhub.notification.stream;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.Notification;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The stream connections open on this instance, by user. Each connection has its own bounded buffer (a unicast sink):
 * no thread per connection, and a slow client loses only its own newest events (it catches up with
 * {@code Last-Event-ID}), never slows down the others.
 */
@Component
class ConnectionRegistry {

    private final Map<Long, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final int bufferSize;

    ConnectionRegistry(NotificationProperties properties, MeterRegistry meters) {
        this.bufferSize = properties.sse().bufferSize();
        Gauge.builder("couponhub.sse.connections", open, AtomicInteger::get)
                .description("Open notification streams on this instance").register(meters);
    }

    /** One open stream of one user. */
    static final class Connection {

        private final long userId;
        private final String id = UUID.randomUUID().toString();
        private final Sinks.Many<Notification> sink;
        private final Sinks.One<String> closing = Sinks.one();

        private Connection(long userId, int bufferSize) {
            this.userId = userId;
            this.sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<Notification>get(bufferSize).get());
        }

        long userId() {
            return userId;
        }

        /** Names the stream among the user's streams on every instance ({@link StreamLimits}). */
        String id() {
            return id;
        }

        /** Completes with the reason when the stream is to be closed before its client leaves. */
        Mono<String> closing() {
            return closing.asMono();
        }

        void close(String reason) {
            closing.tryEmitValue(reason);
        }

        /** Live notifications, buffered from the moment the connection was registered. */
        Flux<Notification> live() {
            return sink.asFlux();
        }

        /** Serialised: several Redis messages may be dispatched at once. */
        synchronized boolean emit(Notification notification) {
            return sink.tryEmitNext(notification).isSuccess();
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
    int deliver(long userId, Notification notification) {
        Set<Connection> connections = byUser.get(userId);
        if (connections == null) {
            return 0;
        }
        int delivered = 0;
        for (Connection connection : connections) {
            if (connection.emit(notification)) {
                delivered++;
            }
        }
        return delivered;
    }

    int openConnections() {
        return open.get();
    }
}
