package dev.couponhub.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.couponhub.notification.inbox.Notification;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.ServerSentEventHttpMessageWriter;
import org.springframework.http.codec.json.Jackson2JsonEncoder;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Flux;

/**
 * The stream's own bytes are those Spring's SSE writer wrote for the same events (the stream used that writer until
 * it rendered each alert once for all its recipients): notifications with Korean text, line ends, quotes and nested
 * data, read or not, the comments and the closed event, and the content type.
 */
class SseFramesTests {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Instant AT = Instant.parse("2026-12-05T00:00:00.123456Z");

    @Test
    void alertRenderedOnceThenEachIdsEventAsSpringsWriterWroteIt() throws Exception {
        Notification published = new Notification(0, "COUPON_PUBLISHED", "카페 \"라떼\" 매장에 새 쿠폰",
                "라떼 1,000원 할인\n오늘만\r\n\ttab \\ 역슬래시 \u2028", JSON.readTree(
                "{\"couponId\": 9, \"storeName\": \"카페 \\\"라떼\\\"\", \"nested\": {\"a\": [1, 2.5, null, true]}}"),
                AT, null);
        RenderedAlert event = RenderedAlert.of(published, JSON);

        for (long id : new long[] {0, 7, 1_000_000_007L, Long.MAX_VALUE}) {
            Notification withId = new Notification(id, published.type(), published.title(), published.body(),
                    published.data(), published.createdAt(), null);
            String expected = springWrites(ServerSentEvent.builder().event(withId.type()).id(Long.toString(id))
                    .data(JSON.writeValueAsString(withId)).build());

            assertThat(text(event.write(id, DefaultDataBufferFactory.sharedInstance))).isEqualTo(expected);
        }
    }

    @Test
    void replayedNotificationReadAndWithoutDataThenItsOwnEventAsSpringsWriterWroteIt() throws Exception {
        Notification read = new Notification(41, "COUPON_CLAIMED", "쿠폰이 발급되었어요", "본문", null, AT,
                AT.plusSeconds(60));

        String expected = springWrites(ServerSentEvent.builder().event(read.type()).id("41")
                .data(JSON.writeValueAsString(read)).build());

        assertThat(text(RenderedAlert.of(read, JSON).write(41, DefaultDataBufferFactory.sharedInstance)))
                .isEqualTo(expected);
        assertThat(expected).contains("\"readAt\":\"2026-12-05T00:01:00.123456Z\"");
    }

    @Test
    void commentsAndTheClosedEventAsSpringsWriterWroteThem() {
        assertThat(new String(SseFrames.CONNECTED, StandardCharsets.UTF_8))
                .isEqualTo(springWrites(ServerSentEvent.builder().comment("connected").build()))
                .isEqualTo(":connected\n\n");
        assertThat(new String(SseFrames.KEEP_ALIVE, StandardCharsets.UTF_8))
                .isEqualTo(springWrites(ServerSentEvent.builder().comment("keep-alive").build()));
        assertThat(new String(SseFrames.closed(StreamLimits.TOO_MANY_STREAMS), StandardCharsets.UTF_8))
                .isEqualTo(springWrites(ServerSentEvent.builder().event("closed")
                        .data(Map.of("reason", StreamLimits.TOO_MANY_STREAMS)).build()));
    }

    @Test
    void contentTypeAsSpringsWriterSetIt() {
        MockServerHttpResponse response = new MockServerHttpResponse();
        writer().write(Flux.just(ServerSentEvent.builder().comment("x").build()), ResolvableType.forClass(
                ServerSentEvent.class), MediaType.TEXT_EVENT_STREAM, response, Map.of()).block(Duration.ofSeconds(5));

        assertThat(response.getHeaders().getContentType()).isEqualTo(SseFrames.EVENT_STREAM);
    }

    @Test
    void closeReasonThatIsNotAConstantNameThenRefused() {
        assertThatThrownBy(() -> SseFrames.closed("TOO_MANY\ndata:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseFrames.closed("\"}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventNameOnTwoLinesThenRefused() {
        Notification notification = new Notification(1, "A\nevent:B", "t", "b", null, AT, null);

        assertThatThrownBy(() -> RenderedAlert.of(notification, JSON)).isInstanceOf(IllegalStateException.class);
    }

    private static ServerSentEventHttpMessageWriter writer() {
        return new ServerSentEventHttpMessageWriter(new Jackson2JsonEncoder(JSON));
    }

    private static String springWrites(ServerSentEvent<?> event) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        writer().write(Flux.just(event), ResolvableType.forClassWithGenerics(ServerSentEvent.class, Object.class),
                MediaType.TEXT_EVENT_STREAM, response, Map.of()).block(Duration.ofSeconds(5));
        return response.getBodyAsString().block(Duration.ofSeconds(5));
    }

    private static String text(DataBuffer buffer) {
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
