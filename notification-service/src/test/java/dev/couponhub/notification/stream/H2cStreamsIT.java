package dev.couponhub.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.couponhub.notification.NotificationItSupport;
import io.netty.channel.ChannelId;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.Disposable;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The service side of the gateway's h2c hop (gateway README, step 7): alert streams opened over HTTP/2 without TLS
 * (prior knowledge), as the gateway opens them, share one connection, and each gets the alert of its user once. The
 * gateway's H2cStreamIT checks the other side against a stand-in backend; this one needs the service's
 * {@code server.http2.enabled}.
 */
class H2cStreamsIT extends NotificationItSupport {

    private static final int STREAMS = 20;

    @Test
    void streamsOverH2cShareOneConnectionAndEachGetsTheAlertOnce() {
        String storeName = "h2c 매장 " + token();
        long storeId = stores.addStore(storeName);
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            long user = newUserId();
            subscribe(user, storeId);
            users.add(user);
        }
        ConnectionProvider provider = ConnectionProvider.builder("h2c-streams-it").maxConnections(1)
                .pendingAcquireMaxCount(STREAMS).build();
        HttpClient client = HttpClient.create(provider).protocol(HttpProtocol.H2C)
                .baseUrl("http://127.0.0.1:" + port);
        Set<ChannelId> connections = ConcurrentHashMap.newKeySet();
        Set<String> channelTypes = ConcurrentHashMap.newKeySet();
        List<StreamWarmUp.EventCounter> counters = new ArrayList<>();
        List<Disposable> open = new ArrayList<>();
        try {
            for (long user : users) {
                StreamWarmUp.EventCounter counter = new StreamWarmUp.EventCounter();
                counters.add(counter);
                open.add(client.headers(headers -> headers.set(HttpHeaders.ACCEPT, MediaType.TEXT_EVENT_STREAM_VALUE)
                                .set("X-User-Id", Long.toString(user)).set("X-User-Role", "SHOPPER"))
                        .doOnResponse((response, connection) -> {
                            channelTypes.add(connection.channel() instanceof Http2StreamChannel ? "HTTP/2 stream"
                                    : connection.channel().getClass().getSimpleName());
                            connections.add(connection.channel().parent() != null
                                    ? connection.channel().parent().id() : connection.channel().id());
                        })
                        .get().uri(NOTIFICATIONS + "/stream")
                        .responseContent()
                        .subscribe(counter::count, error -> { }));
            }
            // each stream's first event is its ":connected" comment
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> counters.stream().allMatch(counter -> counter.events() >= 1));

            send(event(UUID.randomUUID().toString(), "COUPON_PUBLISHED", published(storeId, storeName, 703,
                    "h2c 쿠폰")));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> counters.stream().allMatch(counter -> counter.notifications() >= 1));
            assertThat(channelTypes).containsExactly("HTTP/2 stream");
            assertThat(connections).hasSize(1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> counters.stream().allMatch(counter -> counter.notifications() == 1));
        } finally {
            open.forEach(Disposable::dispose);
            provider.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
