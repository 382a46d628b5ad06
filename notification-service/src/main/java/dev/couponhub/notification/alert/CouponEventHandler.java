package dev.couponhub.notification.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.messaging.DeadLetters;
import dev.couponhub.kit.messaging.EventMessages;
import dev.couponhub.kit.messaging.UnreadableMessageException;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.stream.AlertBroadcaster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a message of coupon events into alerts, a whole message at a time: one coupon-service message may carry up to
 * a hundred events (an array), and paying a transaction, a Redis publish and a log line per event was most of this
 * service's cost per claim. All holder alerts of the message ({@code COUPON_CLAIMED}, {@code COUPON_GRANTED}, {@code COUPON_EXPIRING},
 * {@code COUPON_REDEEMED}) are written in one transaction and announced with one broadcast. {@code COUPON_PUBLISHED}
 * and {@code COUPON_OPENED} alert every subscriber of the store, page by page (one transaction and one broadcast per
 * page, several pages written at once: {@code couponhub.notification.fan-out-writers}). Other types are
 * ignored. An event that cannot be handled is moved alone to the dead-letter queue, and its neighbours are handled. A
 * repeat of a message creates nothing new, even after a stop halfway through a fan-out: the rows already written are
 * skipped by their unique key.
 */
@Component
public class CouponEventHandler {

    private static final Logger log = LoggerFactory.getLogger(CouponEventHandler.class);

    /**
     * What one message gave.
     *
     * @param events       events in the message
     * @param alerts       alerts created (none for events handled before)
     * @param ignored      events of types that alert nobody
     * @param deadLettered events moved to the dead-letter queue
     */
    public record Outcome(int events, int alerts, int ignored, int deadLettered) {
    }

    private final AlertTexts texts;
    private final AlertWriter writer;
    private final AlertBroadcaster broadcaster;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final Clock clock;
    private final String queue;
    private final int pageSize;
    private final int writers;
    private final ExecutorService pageWriters;
    private final Map<AlertType, Counter> created = new EnumMap<>(AlertType.class);

    CouponEventHandler(AlertTexts texts, AlertWriter writer, AlertBroadcaster broadcaster, DeadLetters deadLetters,
                       ObjectMapper json, Clock clock, NotificationProperties properties, MeterRegistry meters) {
        this.texts = texts;
        this.writer = writer;
        this.broadcaster = broadcaster;
        this.deadLetters = deadLetters;
        this.json = json;
        this.clock = clock;
        this.queue = properties.eventsQueue();
        this.pageSize = properties.fanOutPageSize();
        this.writers = properties.fanOutWriters();
        AtomicInteger threads = new AtomicInteger();
        this.pageWriters = Executors.newFixedThreadPool(writers, task -> {
            Thread thread = new Thread(task, "fan-out-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (AlertType type : AlertType.values()) {
            created.put(type, Counter.builder("couponhub.alerts").tag("type", type.name())
                    .description("Alerts created (one per recipient)").register(meters));
        }
    }

    /**
     * Handles one message: an event {@code {eventId, type, occurredAt, payload}} or a JSON array of them. The good
     * events are written first and the bad ones dead-lettered afterwards, so that a failure of either leaves the
     * message unacknowledged: it comes back, and what was written already is not written again.
     *
     * @param stillWorking called after each page of a long fan-out (to keep the message invisible meanwhile)
     * @throws UnreadableMessageException when the body carries no event at all (the listener moves it to the
     *                                    dead-letter queue at once)
     * @throws RuntimeException           when the database or the dead-letter queue fails (the message is retried)
     */
    public Outcome handle(String message, Runnable stillWorking) {
        List<JsonNode> events = EventMessages.read(json, message);
        SortedEvents sorted = SortedEvents.of(events, texts);
        Instant now = clock.instant();
        int alerts = holderAlerts(sorted.holderAlerts(), now);
        for (SortedEvents.Publication publication : sorted.publications()) {
            alerts += fanOut(publication, now, stillWorking);
        }
        for (SortedEvents.Refused refused : sorted.refused()) {
            log.warn("Coupon event {} moved to the dead-letter queue: {}",
                    refused.eventId() == null ? "without an id" : refused.eventId(), refused.reason());
            deadLetters.send(queue, String.valueOf(refused.event()), refused.reason());
        }
        Outcome outcome = new Outcome(events.size(), alerts, sorted.ignored(), sorted.refused().size());
        log.debug("Coupon event message handled: {} event(s), {} alert(s) created, {} ignored, {} dead-lettered",
                outcome.events(), outcome.alerts(), outcome.ignored(), outcome.deadLettered());
        return outcome;
    }

    /** All holder alerts of the message: one transaction, one broadcast. */
    private int holderAlerts(List<Alert> alerts, Instant now) {
        List<AlertWriter.Created> rows = writer.write(alerts, now);
        if (rows.isEmpty()) {
            return 0;
        }
        Map<AlertContent, List<Delivery>> byContent = new LinkedHashMap<>();
        for (AlertWriter.Created row : rows) {
            byContent.computeIfAbsent(row.alert().content(), content -> new ArrayList<>())
                    .add(new Delivery(row.alert().userId(), row.notificationId()));
            created.get(row.alert().content().type()).increment();
        }
        List<NewAlerts> groups = new ArrayList<>(byContent.size());
        byContent.forEach((content, deliveries) -> groups.add(new NewAlerts(content, now, deliveries)));
        broadcaster.publish(groups);
        return rows.size();
    }

    /**
     * Alerts every subscriber of the store: this thread reads where each page of subscriptions ends (their ids), and
     * the page writers write and broadcast up to {@code fanOutWriters} pages at once, each reading its recipients in
     * the database ({@link AlertWriter#writePage}). Pages hold distinct users, so their transactions never wait for
     * each other's rows; each page is written and announced in one transaction and one broadcast.
     * Returns once every page ended; a failed page fails the whole message (it comes back, and the pages written
     * already create nothing new).
     */
    private int fanOut(SortedEvents.Publication publication, Instant now, Runnable stillWorking) {
        List<Future<Integer>> pages = new ArrayList<>();
        Semaphore inFlight = new Semaphore(writers);
        RuntimeException failure = null;
        try {
            long after = 0;
            while (true) {
                List<Long> page = writer.subscriptionIds(publication.storeId(), after, pageSize);
                if (page.isEmpty()) {
                    break;
                }
                long afterId = after;
                long lastId = page.get(page.size() - 1);
                inFlight.acquire();
                try {
                    pages.add(pageWriters.submit(() -> {
                        try {
                            return writePage(publication, afterId, lastId, now);
                        } finally {
                            inFlight.release();
                        }
                    }));
                } catch (RejectedExecutionException e) {
                    inFlight.release();
                    throw new IllegalStateException("The fan-out writers are shut down", e);
                }
                after = lastId;
                if (page.size() < pageSize) {
                    break;
                }
                stillWorking.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IllegalStateException("Interrupted during a fan-out", e);
        } catch (RuntimeException e) {
            failure = e;
        }
        int total = 0;
        for (Future<Integer> page : pages) {
            try {
                total += page.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("Interrupted during a fan-out", e);
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else if (failure != cause) {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return total;
    }

    /**
     * One page of a fan-out, the subscriptions of ids in {@code (afterId, lastId]}: one transaction, one broadcast;
     * answers the alerts created.
     */
    private int writePage(SortedEvents.Publication publication, long afterId, long lastId, Instant now) {
        List<Delivery> rows = writer.writePage(publication.eventId(), publication.content(), publication.storeId(),
                afterId, lastId, now);
        if (!rows.isEmpty()) {
            created.get(publication.content().type()).increment(rows.size());
            broadcaster.publish(List.of(new NewAlerts(publication.content(), now, rows)));
        }
        return rows.size();
    }

    /** Lets the page writers finish the pages they hold (the listener stopped first), then ends them. */
    @PreDestroy
    void stop() throws InterruptedException {
        pageWriters.shutdown();
        if (!pageWriters.awaitTermination(20, TimeUnit.SECONDS)) {
            pageWriters.shutdownNow();
        }
    }
}
