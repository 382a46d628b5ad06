package dev.couponhub.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.Role;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.Notification;
import dev.couponhub.notification.inbox.NotificationRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * How a stream ends on the server's side: after its lifetime (the client reconnects with {@code Last-Event-ID}), or
 * when the user opened too many, with a last {@code closed} event. No network; the limit over instances is
 * {@code TwoInstancesIT}'s.
 */
class StreamControllerTests {

    private static final long USER = 42;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final NotificationProperties properties = new NotificationProperties("q", true, 1000, 4,
            ZoneId.of("Asia/Seoul"), 4, new NotificationProperties.Sse(Duration.ofSeconds(15), 100, 64, 5,
                    Duration.ofHours(1)),
            new NotificationProperties.Mail(true, "Couponhub <no-reply@couponhub.local>", Duration.ofMillis(500), 100,
                    Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ofSeconds(60), 100),
            new NotificationProperties.Broadcast("c", "c-closes"),
            new NotificationProperties.StockStream(java.time.Duration.ofMillis(250)),
            new NotificationProperties.WarmUp(false, 1, 1, 0));
    private final ConnectionRegistry connections = new ConnectionRegistry(properties, new SimpleMeterRegistry());
    private final StreamLimits limits = mock(StreamLimits.class);
    private final AtomicReference<ConnectionRegistry.Connection> admitted = new AtomicReference<>();
    private final StreamController controller = new StreamController(connections, limits,
            mock(NotificationRepository.class), Schedulers.immediate(), properties, JSON);

    StreamControllerTests() {
        when(limits.admit(any())).thenAnswer(invocation -> {
            admitted.set(invocation.getArgument(0));
            return Mono.empty();
        });
    }

    @Test
    void streamOpenForItsLifetimeWithKeepAlivesThenEndsAndLeavesTheRegistryAndTheLimit() {
        NotificationProperties shortLived = new NotificationProperties("q", true, 1000, 4, ZoneId.of("Asia/Seoul"), 4,
                new NotificationProperties.Sse(Duration.ofMillis(500), 100, 64, 5, Duration.ofSeconds(2)),
                properties.mail(), properties.broadcast(), properties.stock(), properties.warmUp());
        ConnectionRegistry connections = new ConnectionRegistry(shortLived, new SimpleMeterRegistry());
        StreamController controller = new StreamController(connections, limits, mock(NotificationRepository.class),
                Schedulers.immediate(), shortLived, JSON);
        connections.start(); // the instance's one ticker: keep-alives, and the end after the lifetime
        try {
            long started = System.nanoTime();

            List<String> events = controller.events(new Caller(USER, Role.SHOPPER), null)
                    .doOnNext(event -> assertThat(connections.isConnected(USER)).isTrue())
                    .map(StreamControllerTests::text)
                    .collectList().block(Duration.ofSeconds(20));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(events).first().isEqualTo(":connected\n\n");
            assertThat(events).contains(":keep-alive\n\n");
            // the stream's doFinally runs on the ticker's thread after the completion reached block()
            await().atMost(Duration.ofSeconds(5)).until(() -> !connections.isConnected(USER));
            verify(limits, timeout(5_000)).release(admitted.get());
        } finally {
            connections.stop();
        }
    }

    @Test
    void slowClientThenNewestNotificationsDroppedButThePlaceOfTheClosedEventKept() {
        ConnectionRegistry.Connection connection = connections.open(USER);
        int taken = 0;
        for (long id = 1; id <= 100; id++) {
            if (connections.deliver(USER, notification(id)) == 1) {
                taken++;
            }
        }
        connections.tick(); // a full buffer takes no keep-alive either
        connection.close(StreamLimits.TOO_MANY_STREAMS);

        assertThat(taken).isEqualTo(63); // the buffer of 64 less the place kept for the closed event
        StepVerifier.create(connection.live())
                .expectNextCount(63)
                .assertNext(last -> assertThat(text(last)).startsWith("event:closed\n"))
                .verifyComplete();
    }

    private static StreamAlert notification(long id) {
        return new StreamAlert(id, RenderedAlert.of(new Notification(id, "COUPON_CLAIMED", "t", "b", null,
                Instant.parse("2026-12-05T00:00:00Z"), null), JSON));
    }

    /** A stream item as the text it is sent as. */
    private static String text(Object item) {
        DataBuffer buffer = SseFrames.frame(item, DefaultDataBufferFactory.sharedInstance);
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    @Test
    void notificationThenOneEventWithItsIdTypeAndJson() throws Exception {
        Notification notification = new Notification(7, "COUPON_PUBLISHED", "카페 라떼 매장에 새 쿠폰",
                "라떼 1,000원 할인\n오늘만", JSON.readTree("{\"couponId\": 9, \"storeName\": \"카페 \\\"라떼\\\"\"}"),
                Instant.parse("2026-12-05T00:00:00Z"), null);

        StepVerifier.create(controller.events(new Caller(USER, Role.SHOPPER), null).map(StreamControllerTests::text))
                .expectNext(":connected\n\n")
                .then(() -> connections.deliver(USER, new StreamAlert(7, RenderedAlert.of(notification, JSON))))
                .expectNext("id:7\nevent:COUPON_PUBLISHED\ndata:" + json(notification) + "\n\n")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void streamWrittenToTheResponseThenItsEventsFlushedOneByOneAsAnEventStream() {
        AtomicInteger flushed = new AtomicInteger();
        MockServerHttpResponse flushing = new MockServerHttpResponse() {
            @Override
            protected Mono<Void> writeAndFlushWithInternal(
                    Publisher<? extends Publisher<? extends DataBuffer>> body) {
                // one inner publisher per flush
                return super.writeAndFlushWithInternal(Flux.from(body).doOnNext(each -> flushed.incrementAndGet()));
            }
        };

        Mono<Void> written = controller.stream(new Caller(USER, Role.SHOPPER), null, null, flushing);
        StepVerifier.create(written)
                .then(() -> await().atMost(Duration.ofSeconds(5)).until(() -> admitted.get() != null))
                .then(() -> connections.deliver(USER, notification(5)))
                .then(() -> connections.close(USER, admitted.get().id(), StreamLimits.TOO_MANY_STREAMS))
                .verifyComplete();

        assertThat(flushing.getHeaders().getContentType()).hasToString("text/event-stream;charset=UTF-8");
        assertThat(flushing.getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo(":connected\n\n"
                + text(notification(5)) + "event:closed\ndata:{\"reason\":\"TOO_MANY_STREAMS\"}\n\n");
        assertThat(flushed).hasValue(3);
        assertThat(connections.isConnected(USER)).isFalse();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void streamPushedOutByANewerOneThenALastClosedEventAndTheEnd() {
        StepVerifier.create(controller.events(new Caller(USER, Role.SHOPPER), null).map(StreamControllerTests::text))
                .expectNext(":connected\n\n")
                .then(() -> connections.close(USER, admitted.get().id(), StreamLimits.TOO_MANY_STREAMS))
                .expectNext("event:closed\ndata:{\"reason\":\"TOO_MANY_STREAMS\"}\n\n")
                .verifyComplete();

        assertThat(connections.isConnected(USER)).isFalse();
    }

    @Test
    void closeOfAStreamThisInstanceDoesNotHoldThenFalse() {
        assertThat(connections.close(USER, "not-here", StreamLimits.TOO_MANY_STREAMS)).isFalse();
    }
}
