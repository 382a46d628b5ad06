package dev.couponhub.notification.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.notification.config.NotificationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * At most {@code sse.max-per-user} open streams per user, over every instance (API.md): each instance records the
 * streams it opens in the user's sorted set in Redis ({@code sse:streams:{userId}}, scored by Redis's clock, so the
 * instances agree on which is oldest); when a stream opens beyond the limit, the oldest are taken out of the set and
 * their ids published on {@code broadcast.closes-channel}, and the instance that holds each closes it with a last
 * event {@code closed} ({@code {"reason":"TOO_MANY_STREAMS"}}), after which a client should not reconnect. A stream
 * leaves the set when it ends; the set forgets entries older than {@code sse.max-lifetime} (no stream lives longer),
 * so an instance that stopped without cleaning up does not hold its users' places.
 *
 * <p>Redis trouble never fails a stream: it is then opened without the limit, and the failure logged.
 */
@Component
class StreamLimits implements SmartLifecycle {

    static final String TOO_MANY_STREAMS = "TOO_MANY_STREAMS";
    private static final Logger log = LoggerFactory.getLogger(StreamLimits.class);
    private static final RedisScript<String> OPEN = script("stream/open.lua");

    /** The message on the closes channel: the streams of one user to close. */
    record Closes(long userId, List<String> streams) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final ReactiveRedisMessageListenerContainer container;
    private final ConnectionRegistry connections;
    private final ObjectMapper json;
    private final String channel;
    private final int maxPerUser;
    private final Duration maxLifetime;
    private volatile Disposable subscription;

    StreamLimits(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer container,
                 ConnectionRegistry connections, ObjectMapper json, NotificationProperties properties) {
        this.redis = redis;
        this.container = container;
        this.connections = connections;
        this.json = json;
        this.channel = properties.broadcast().closesChannel();
        this.maxPerUser = properties.sse().maxPerUser();
        this.maxLifetime = properties.sse().maxLifetime();
    }

    /** Records an opened stream; the user's oldest streams beyond the limit are closed wherever they are. */
    Mono<Void> admit(ConnectionRegistry.Connection connection) {
        return redis.execute(OPEN, List.of(key(connection.userId())),
                        List.of(connection.id(), Integer.toString(maxPerUser),
                                Long.toString(maxLifetime.plusMinutes(1).toMillis())))
                .next()
                .filter(evicted -> !evicted.isEmpty())
                .flatMap(evicted -> publish(new Closes(connection.userId(), List.of(evicted.split(",")))))
                .onErrorResume(e -> {
                    log.warn("Could not apply the open-stream limit of user {}: {}", connection.userId(),
                            e.toString());
                    return Mono.empty();
                });
    }

    /** The stream ended: it no longer counts. */
    void release(ConnectionRegistry.Connection connection) {
        redis.opsForZSet().remove(key(connection.userId()), connection.id())
                .subscribe(removed -> { }, e -> log.debug("Could not forget stream {}: {}", connection.id(),
                        e.toString()));
    }

    private Mono<Void> publish(Closes closes) {
        // this instance's own streams close at once; the others' when the message reaches them
        closes.streams().forEach(stream -> connections.close(closes.userId(), stream, TOO_MANY_STREAMS));
        String message;
        try {
            message = json.writeValueAsString(closes);
        } catch (IOException e) {
            return Mono.error(e);
        }
        return redis.convertAndSend(channel, message).then();
    }

    void dispatch(String message) {
        try {
            Closes closes = json.readValue(message, Closes.class);
            if (closes.streams() != null) {
                closes.streams().forEach(stream -> connections.close(closes.userId(), stream, TOO_MANY_STREAMS));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring an unreadable stream-close message: {}", e.toString());
        }
    }

    private static String key(long userId) {
        return "sse:streams:{" + userId + "}";
    }

    @Override
    public void start() {
        subscription = ChannelSubscription.subscribe(container, channel, "Stream-close", log, this::dispatch);
    }

    @Override
    public void stop() {
        Disposable current = subscription;
        subscription = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    private static RedisScript<String> script(String path) {
        try {
            return RedisScript.of(new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8),
                    String.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Redis script " + path, e);
        }
    }
}
