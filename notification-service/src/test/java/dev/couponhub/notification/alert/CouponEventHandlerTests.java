package dev.couponhub.notification.alert;

import static dev.couponhub.notification.alert.SortedEventsTests.CLAIMED_PAYLOAD;
import static dev.couponhub.notification.alert.SortedEventsTests.PUBLISHED_PAYLOAD;
import static dev.couponhub.notification.alert.SortedEventsTests.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.messaging.DeadLetters;
import dev.couponhub.kit.messaging.UnreadableMessageException;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.stream.AlertBroadcaster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** How the handler splits a message into good events (written, broadcast) and bad ones (dead-lettered alone). */
class CouponEventHandlerTests {

    private static final String QUEUE = "coupon-events-notification";
    private static final Instant NOW = Instant.parse("2026-11-21T09:00:00Z");

    private final AlertWriter writer = mock(AlertWriter.class);
    private final AlertBroadcaster broadcaster = mock(AlertBroadcaster.class);
    private final DeadLetters deadLetters = mock(DeadLetters.class);
    private final ObjectMapper json = new ObjectMapper();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private CouponEventHandler handler;
    private final AtomicLong nextId = new AtomicLong(100);

    @BeforeEach
    void handler() {
        NotificationProperties properties = new NotificationProperties(QUEUE, true, 2, 3,
                ZoneId.of("Asia/Seoul"), 4, new NotificationProperties.Sse(Duration.ofSeconds(15), 100, 64, 5, Duration.ofHours(1)),
                new NotificationProperties.Mail(true, "Couponhub <no-reply@couponhub.local>", Duration.ofMillis(500),
                        100, Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMinutes(30),
                        Duration.ofSeconds(60), 100), new NotificationProperties.Broadcast("c", "c-closes"),
            new NotificationProperties.StockStream(java.time.Duration.ofMillis(250)),
            new NotificationProperties.WarmUp(false, 1, 1, 0));
        handler = new CouponEventHandler(new AlertTexts(ZoneId.of("Asia/Seoul")), writer, broadcaster, deadLetters,
                json, Clock.fixed(NOW, ZoneOffset.UTC), properties, meters);
        // the writer creates every alert it is given, with increasing notification ids
        when(writer.write(anyList(), any())).thenAnswer(invocation -> {
            List<Alert> alerts = invocation.getArgument(0);
            List<AlertWriter.Created> created = new ArrayList<>();
            alerts.forEach(alert -> created.add(new AlertWriter.Created(alert, nextId.getAndIncrement())));
            return created;
        });
    }

    @Test
    void messageOfGoodAndBadEventsThenGoodOnesWrittenTogetherBroadcastOnceAndEachBadOneDeadLetteredAlone() {
        String bad = event("bad-1", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(3).replace("\"userId\": 3,", ""));
        String alsoBad = "{\"type\": \"COUPON_REDEEMED\"}";
        String message = "[" + String.join(",", event("good-1", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(3)),
                bad, event("good-2", "COUPON_EXPIRING", CLAIMED_PAYLOAD.formatted(4)), alsoBad,
                event("other", "COUPON_ENDED", "{}"), event("good-3", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(5)))
                + "]";

        CouponEventHandler.Outcome outcome = handler.handle(message, () -> { });

        assertThat(outcome).isEqualTo(new CouponEventHandler.Outcome(6, 3, 1, 2));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<Alert>> written = ArgumentCaptor.forClass(List.class);
        verify(writer, times(1)).write(written.capture(), eq(NOW));
        assertThat(written.getValue()).extracting(Alert::eventId, Alert::userId)
                .containsExactly(tuple("good-1", 3L),
                        tuple("good-2", 4L),
                        tuple("good-3", 5L));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<NewAlerts>> broadcast = ArgumentCaptor.forClass(List.class);
        verify(broadcaster, times(1)).publish(broadcast.capture());
        // one broadcast, its alerts grouped by content: good-1 and good-3 tell the same text to two holders
        assertThat(broadcast.getValue()).allSatisfy(group -> assertThat(group.createdAt()).isEqualTo(NOW));
        assertThat(broadcast.getValue()).extracting(group -> group.content().type(),
                        group -> group.deliveries().stream().map(Delivery::userId).toList())
                .containsExactly(tuple(AlertType.COUPON_CLAIMED, List.of(3L, 5L)),
                        tuple(AlertType.COUPON_EXPIRING, List.of(4L)));
        verify(deadLetters).send(QUEUE, parse(bad).toString(), "payload lacks a positive userId");
        verify(deadLetters).send(QUEUE, parse(alsoBad).toString(), "without a valid eventId");
        verify(deadLetters, times(2)).send(anyString(), anyString(), anyString());
        assertThat(meters.counter("couponhub.alerts", "type", "COUPON_CLAIMED").count()).isEqualTo(2);
        assertThat(meters.counter("couponhub.alerts", "type", "COUPON_EXPIRING").count()).isEqualTo(1);
    }

    @Test
    void singlePlainEventThenHandledAsAMessageOfOne() {
        CouponEventHandler.Outcome outcome = handler.handle(event("one", "COUPON_CLAIMED",
                CLAIMED_PAYLOAD.formatted(9)), () -> { });

        assertThat(outcome).isEqualTo(new CouponEventHandler.Outcome(1, 1, 0, 0));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<Alert>> written = ArgumentCaptor.forClass(List.class);
        verify(writer).write(written.capture(), eq(NOW));
        assertThat(written.getValue()).singleElement().satisfies(alert -> {
            assertThat(alert.eventId()).isEqualTo("one");
            assertThat(alert.userId()).isEqualTo(9);
            assertThat(alert.content().title()).isEqualTo("라떼 쿠폰이 발급되었어요");
        });
        verify(broadcaster, times(1)).publish(anyList());
        verifyNoInteractions(deadLetters);
    }

    @Test
    void singleBadEventThenDeadLetteredAloneAndNothingWritten() {
        String bad = event("bad", "COUPON_EXPIRING", CLAIMED_PAYLOAD.formatted(0));

        CouponEventHandler.Outcome outcome = handler.handle(bad, () -> { });

        assertThat(outcome).isEqualTo(new CouponEventHandler.Outcome(1, 0, 0, 1));
        verify(deadLetters).send(QUEUE, parse(bad).toString(), "payload lacks a positive userId");
        verify(broadcaster, never()).publish(anyList());
    }

    @Test
    void bodyWithoutAnyEventThenRefusedWholeAndNothingWritten() {
        for (String body : List.of("not json", "[]", "42", "\"text\"")) {
            assertThatThrownBy(() -> handler.handle(body, () -> { })).isInstanceOf(UnreadableMessageException.class);
        }
        verifyNoInteractions(writer, broadcaster, deadLetters);
    }

    @Test
    void deadLetterQueueDownThenTheMessageFailsAfterItsGoodEventsWereWritten() {
        doThrow(new IllegalStateException("SQS down")).when(deadLetters).send(anyString(), anyString(), anyString());
        String message = "[" + event("good", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(3)) + ","
                + event("bad", "COUPON_CLAIMED", "{}") + "]";

        assertThatThrownBy(() -> handler.handle(message, () -> { })).isInstanceOf(IllegalStateException.class);

        InOrder order = inOrder(writer, deadLetters);
        order.verify(writer).write(anyList(), any());
        order.verify(deadLetters).send(eq(QUEUE), anyString(), anyString());
    }

    @Test
    void publishedInAMessageThenFannedOutPageByPageOnItsOwnAfterTheHolderAlerts() {
        // subscriptions 1 and 2, then 3 (pages of two)
        when(writer.subscriptionIds(eq(5L), anyLong(), anyInt())).thenAnswer(invocation -> {
            long after = invocation.getArgument(1);
            return after == 0 ? List.of(1L, 2L) : after == 2 ? List.of(3L) : List.of();
        });
        // the page writer creates an alert for each subscription of the page, to users 20 + the subscription id
        when(writer.writePage(anyString(), any(), anyLong(), anyLong(), anyLong(), any())).thenAnswer(invocation -> {
            long after = invocation.getArgument(3);
            long last = invocation.getArgument(4);
            List<Delivery> created = new ArrayList<>();
            for (long id = after + 1; id <= last; id++) {
                created.add(new Delivery(20 + id, nextId.getAndIncrement()));
            }
            return created;
        });
        String message = "[" + event("pub", "COUPON_PUBLISHED", PUBLISHED_PAYLOAD.formatted(5)) + ","
                + event("claim", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(3)) + "]";
        List<String> stillWorking = new ArrayList<>();

        CouponEventHandler.Outcome outcome = handler.handle(message, () -> stillWorking.add("page"));

        assertThat(outcome.alerts()).isEqualTo(4);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<Alert>> written = ArgumentCaptor.forClass(List.class);
        InOrder order = inOrder(writer);
        order.verify(writer).write(written.capture(), eq(NOW));
        // the holder alerts first, then the pages (written at once by the page writers: in any order), each page the
        // subscriptions after the previous page's last one up to its own last one
        assertThat(written.getValue()).extracting(Alert::userId).containsExactly(3L);
        order.verify(writer, times(2)).writePage(eq("pub"), any(), eq(5L), anyLong(), anyLong(), eq(NOW));
        verify(writer).writePage(eq("pub"), any(), eq(5L), eq(0L), eq(2L), eq(NOW));
        verify(writer).writePage(eq("pub"), any(), eq(5L), eq(2L), eq(3L), eq(NOW));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<NewAlerts>> broadcast = ArgumentCaptor.forClass(List.class);
        verify(broadcaster, times(3)).publish(broadcast.capture());
        assertThat(broadcast.getAllValues().subList(1, 3)).extracting(groups -> groups.get(0).deliveries().stream()
                        .map(Delivery::userId).toList())
                .containsExactlyInAnyOrder(List.of(21L, 22L), List.of(23L));
        assertThat(meters.counter("couponhub.alerts", "type", "COUPON_PUBLISHED").count()).isEqualTo(3);
        assertThat(stillWorking).hasSize(1); // after the first, full page
    }

    private JsonNode parse(String event) {
        try {
            return json.readTree(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pagesWrittenAtOnceByUpToTheWritersAndAFailedPageFailsTheMessageAfterTheOthersEnded() throws Exception {
        // five pages of two; the writer holds each page until three are being written at once
        when(writer.subscriptionIds(eq(6L), anyLong(), anyInt())).thenAnswer(invocation -> {
            long after = invocation.getArgument(1);
            return after >= 10 ? List.of() : List.of(after + 1, after + 2);
        });
        java.util.concurrent.CyclicBarrier threeAtOnce = new java.util.concurrent.CyclicBarrier(3);
        AtomicLong concurrent = new AtomicLong();
        AtomicLong mostAtOnce = new AtomicLong();
        List<Long> failedPage = new java.util.concurrent.CopyOnWriteArrayList<>();
        when(writer.writePage(anyString(), any(), eq(6L), anyLong(), anyLong(), any())).thenAnswer(invocation -> {
            long after = invocation.getArgument(3);
            long last = invocation.getArgument(4);
            mostAtOnce.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                if (after <= 4) {
                    threeAtOnce.await(5, java.util.concurrent.TimeUnit.SECONDS); // the first three pages meet here
                }
                if (after == 4) {
                    failedPage.add(after);
                    throw new IllegalStateException("database down");
                }
                List<Delivery> created = new ArrayList<>();
                for (long id = after + 1; id <= last; id++) {
                    created.add(new Delivery(100 + id, nextId.getAndIncrement()));
                }
                return created;
            } finally {
                concurrent.decrementAndGet();
            }
        });

        assertThatThrownBy(() -> handler.handle(event("pub", "COUPON_PUBLISHED", PUBLISHED_PAYLOAD.formatted(6)),
                () -> { })).isInstanceOf(IllegalStateException.class).hasMessage("database down");

        assertThat(mostAtOnce.get()).isEqualTo(3); // the properties' three writers, never more
        assertThat(failedPage).containsExactly(4L); // the third page: subscriptions 5 and 6
        verify(writer).write(anyList(), eq(NOW)); // the holder alerts (none)
        // every page was tried before the failure was thrown
        verify(writer, times(5)).writePage(anyString(), any(), eq(6L), anyLong(), anyLong(), eq(NOW));
        verify(broadcaster, times(4)).publish(anyList());
    }
}
