package dev.couponhub.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.Notification;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** The receiving side of the broadcast: one message may carry alerts of different contents, each to its streams. */
class AlertBroadcasterTests {

    private static final Instant AT = Instant.parse("2026-11-21T09:00:00Z");

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final NotificationProperties properties = new NotificationProperties("q", true,
            1000, 4, ZoneId.of("Asia/Seoul"), 4, new NotificationProperties.Sse(Duration.ofSeconds(15), 100, 64, 5, Duration.ofHours(1)),
            new NotificationProperties.Mail(true, "Couponhub <no-reply@couponhub.local>", Duration.ofMillis(500), 100,
                    Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ofSeconds(60), 100),
            new NotificationProperties.Broadcast("c", "c-closes"),
            new NotificationProperties.StockStream(java.time.Duration.ofMillis(250)),
            new NotificationProperties.WarmUp(false, 1, 1, 0));
    private final ConnectionRegistry connections = new ConnectionRegistry(properties, new SimpleMeterRegistry());
    // dispatch needs neither Redis nor the listener container
    private final AlertBroadcaster broadcaster = new AlertBroadcaster(null, null, connections, json, properties);

    /** What a stream of the user gets, each event read back: its {@code id:} line and its data's Notification. */
    private List<Notification> stream(long userId) {
        List<Notification> received = new CopyOnWriteArrayList<>();
        connections.open(userId).live().ofType(StreamAlert.class).subscribe(alert -> received.add(read(alert)));
        return received;
    }

    private Notification read(StreamAlert alert) {
        String event = alert.event().write(alert.id(), DefaultDataBufferFactory.sharedInstance)
                .toString(StandardCharsets.UTF_8);
        assertThat(event).startsWith("id:" + alert.id() + "\nevent:").endsWith("\n\n");
        String data = event.lines().filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
        try {
            Notification notification = json.readValue(data.substring("data:".length()), Notification.class);
            assertThat(event).contains("\nevent:" + notification.type() + "\n");
            return notification;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void messageWithGroupsOfDifferentContentsThenEachConnectedRecipientGetsItsOwn() throws Exception {
        List<Notification> first = stream(1);
        List<Notification> second = stream(2);
        List<Notification> third = stream(3);
        String message = json.writeValueAsString(new AlertBroadcaster.Broadcast(List.of(
                new AlertBroadcaster.Group("COUPON_CLAIMED", "라떼 쿠폰이 발급되었어요", "본문 1",
                        json.readTree("{\"issuedCouponId\": 9}"), AT, List.of(new long[] {1, 101}, new long[] {3, 103})),
                new AlertBroadcaster.Group("COUPON_REDEEMED", "라떼 쿠폰을 사용했어요", "본문 2",
                        json.readTree("{\"orderId\": \"A-1\"}"), AT, List.of(new long[] {2, 102}, new long[] {4, 104}))
        )));

        broadcaster.dispatch(message);

        assertThat(first).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo(101);
            assertThat(n.type()).isEqualTo("COUPON_CLAIMED");
            assertThat(n.title()).isEqualTo("라떼 쿠폰이 발급되었어요");
            assertThat(n.data().path("issuedCouponId").asLong()).isEqualTo(9);
            assertThat(n.createdAt()).isEqualTo(AT);
        });
        assertThat(second).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo(102);
            assertThat(n.type()).isEqualTo("COUPON_REDEEMED");
            assertThat(n.body()).isEqualTo("본문 2");
        });
        assertThat(third).extracting(Notification::id).containsExactly(103L);
    }

    @Test
    void messageOfTheEarlierSingleGroupFormThenStillDelivered() {
        List<Notification> received = stream(7);

        broadcaster.dispatch("{\"type\": \"COUPON_PUBLISHED\", \"title\": \"t\", \"body\": \"b\", \"data\": {}, "
                + "\"createdAt\": \"2026-11-21T09:00:00Z\", \"recipients\": [[7, 70], [8, 80]]}");

        assertThat(received).extracting(Notification::id, Notification::type)
                .containsExactly(tuple(70L, "COUPON_PUBLISHED"));
    }

    @Test
    void unreadableMessageThenIgnored() {
        List<Notification> received = stream(5);

        for (String message : List.of("not json", "[1]", "{\"groups\": null}", "null")) {
            broadcaster.dispatch(message);
        }

        assertThat(received).isEmpty();
    }
}
