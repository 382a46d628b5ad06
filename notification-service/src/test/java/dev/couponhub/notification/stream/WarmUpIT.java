package dev.couponhub.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import dev.couponhub.notification.NotificationItSupport;
import dev.couponhub.notification.alert.FanOutWarmUp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The warm-up after a start (StreamWarmUp, FanOutWarmUp), run on demand against the real service: its streams get
 * every notification it hands them and nobody else's stream gets one, and afterwards nothing of it is left: no open
 * stream, no open-stream entry in Redis, no notification or mail queue row, no request in the request metrics. Its start when the service is ready is
 * checked on the second instance of TwoInstancesIT.
 */
class WarmUpIT extends NotificationItSupport {

    @Autowired
    StreamWarmUp streamWarmUp;

    @Autowired
    FanOutWarmUp fanOutWarmUp;

    @Autowired
    ConnectionRegistry connections;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void streamsGetEveryNotificationAndLeaveNothingOpen() {
        long user = newUserId();
        List<ServerSentEvent<String>> bystander = openStream(port, user, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> connected(bystander));
        int openBefore = connections.openConnections();

        StreamWarmUp.Result result = streamWarmUp.run(port, 20, 30);

        assertThat(result.streams()).isEqualTo(20);
        assertThat(result.events()).isEqualTo(20 * 30);
        assertThat(result.received()).isEqualTo(20 * 30);
        assertThat(streamWarmUp.last()).isEqualTo(result);
        assertThat(connections.openConnections()).isEqualTo(openBefore);
        assertThat(LongStream.range(0, 20).map(i -> StreamWarmUp.FIRST_USER - i))
                .allMatch(warmUpUser -> !connections.isConnected(warmUpUser));
        // each stream leaves the user's open-stream set when it ends (asynchronously); the empty set is deleted
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(LongStream.range(0, 20)
                .filter(i -> Boolean.TRUE.equals(
                        redis.hasKey("sse:streams:{" + (StreamWarmUp.FIRST_USER - i) + "}").block()))
                .count()).isZero());
        assertThat(events(bystander)).isEmpty();
        assertThat(connections.isConnected(user)).isTrue();
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void warmUpStreamsStayOutOfTheRequestMetrics() {
        // the streams of the tests before are counted when the server sees them end: only once none is open and the
        // count has stayed the same for a while is it this test's starting point
        AtomicLong seen = new AtomicLong(-1);
        await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20)).until(() -> {
            long now = streamRequests();
            return connections.openConnections() == 0 && seen.getAndSet(now) == now;
        });
        long before = seen.get();
        openUntilConnected(newUserId());
        // a client's stream is counted once it ends...
        await().atMost(Duration.ofSeconds(10)).until(() -> streamRequests() == before + 1);

        streamWarmUp.run(port, 20, 3);
        openUntilConnected(newUserId());

        // ...and so is the next one, opened after the warm-up's 20 streams closed: those are not counted
        await().atMost(Duration.ofSeconds(10)).until(() -> streamRequests() >= before + 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> streamRequests() == before + 2);
    }

    private long streamRequests() {
        return meters.find("http.server.requests").tag("uri", "/api/v1/notifications/stream").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    /** Opens a client's stream and closes it once its ":connected" comment arrived. */
    private void openUntilConnected(long user) {
        WebClient.create("http://127.0.0.1:" + port).get().uri("/api/v1/notifications/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .header("X-User-Id", Long.toString(user)).header("X-User-Role", "SHOPPER")
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(event -> "connected".equals(event.comment()))
                .next()
                .block(Duration.ofSeconds(10));
    }

    @Test
    void fanOutPagesAreWrittenAndRolledBack() {
        int written = fanOutWarmUp.run(2);

        // two pages of fan-out-page-size synthetic subscribers, each alert created (and read back) in its transaction...
        assertThat(written).isEqualTo(2 * 1000);
        // ...and none kept
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notifications WHERE user_id > ?", Long.class,
                FanOutWarmUp.FIRST_USER - 1000)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM mail_recipients WHERE user_id > ?", Long.class,
                FanOutWarmUp.FIRST_USER - 1000)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM subscriptions WHERE user_id > ? OR store_id < 0",
                Long.class, FanOutWarmUp.FIRST_USER - 1000)).isZero();
    }
}
