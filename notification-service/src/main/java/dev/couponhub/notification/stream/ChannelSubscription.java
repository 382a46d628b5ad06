package dev.couponhub.notification.stream;

import java.time.Duration;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * A subscription to a Redis pub/sub channel that outlives Redis trouble: subscribed before it returns (so nothing
 * published after start-up is missed), and subscribed again with back-off (1 s up to 10 s) whenever it fails.
 */
final class ChannelSubscription {

    private ChannelSubscription() {
    }

    static Disposable subscribe(ReactiveRedisMessageListenerContainer container, String channel, String what,
                                Logger log, Consumer<String> handler) {
        ChannelTopic topic = ChannelTopic.of(channel);
        Flux<? extends ReactiveSubscription.Message<String, String>> first = container.receiveLater(topic)
                .block(Duration.ofSeconds(30));
        Flux<String> again = Flux.defer(() -> container.receive(topic))
                .map(ReactiveSubscription.Message::getMessage)
                .doOnError(e -> log.warn("{} subscription failed, resubscribing: {}", what, e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10)));
        return first.map(ReactiveSubscription.Message::getMessage)
                .onErrorResume(e -> {
                    log.warn("{} subscription failed, resubscribing: {}", what, e.toString());
                    return again;
                })
                .subscribe(handler);
    }
}
