package dev.couponhub.notification.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.stream.AlertBroadcaster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns coupon events into alerts. {@code COUPON_PUBLISHED} alerts every subscriber of the store, page by page (one
 * transaction and one broadcast per page of subscribers); {@code COUPON_CLAIMED}, {@code COUPON_EXPIRING} and
 * {@code COUPON_REDEEMED} alert the coupon's holder. Other types are ignored. A repeat of an event creates nothing
 * new, even after a stop halfway through a fan-out: the pages already written are skipped by their unique key.
 */
@Component
public class CouponEventHandler {

    private static final Logger log = LoggerFactory.getLogger(CouponEventHandler.class);

    private final AlertTexts texts;
    private final AlertWriter writer;
    private final AlertBroadcaster broadcaster;
    private final ObjectMapper json;
    private final Clock clock;
    private final int pageSize;
    private final Map<AlertType, Counter> created = new EnumMap<>(AlertType.class);

    CouponEventHandler(AlertTexts texts, AlertWriter writer, AlertBroadcaster broadcaster, ObjectMapper json,
                       Clock clock, NotificationProperties properties, MeterRegistry meters) {
        this.texts = texts;
        this.writer = writer;
        this.broadcaster = broadcaster;
        this.json = json;
        this.clock = clock;
        this.pageSize = properties.fanOutPageSize();
        for (AlertType type : AlertType.values()) {
            created.put(type, Counter.builder("couponhub.alerts").tag("type", type.name())
                    .description("Alerts created (one per recipient)").register(meters));
        }
    }

    /**
     * Handles one message {@code {eventId, type, occurredAt, payload}}; answers how many alerts it created.
     *
     * @param stillWorking called after each page of a long fan-out (to keep the message invisible meanwhile)
     * @throws MalformedEventException when the message cannot be handled (it is retried, then dead-lettered)
     */
    public int handle(String message, Runnable stillWorking) {
        JsonNode event;
        try {
            event = json.readTree(message);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("coupon event is not JSON", e);
        }
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("coupon event is not a JSON object");
        }
        String eventId = event.path("eventId").asText("");
        String type = event.path("type").asText("");
        if (eventId.isBlank() || eventId.length() > 64) {
            throw new MalformedEventException("coupon event without a valid eventId");
        }
        Optional<AlertType> alertType = AlertType.of(type);
        if (alertType.isEmpty()) {
            log.debug("Ignoring coupon event {} of type {}", eventId, type);
            return 0;
        }
        JsonNode payload = event.path("payload");
        AlertContent content = texts.compose(alertType.get(), payload);
        Instant now = clock.instant();
        int count = alertType.get() == AlertType.COUPON_PUBLISHED
                ? fanOut(eventId, content, now, payload.path("storeId").asLong(), stillWorking)
                : deliver(eventId, content, now, List.of(holder(payload)));
        log.info("Coupon event {} ({}) created {} alert(s)", eventId, type, count);
        return count;
    }

    private int fanOut(String eventId, AlertContent content, Instant now, long storeId, Runnable stillWorking) {
        int total = 0;
        long after = 0;
        while (true) {
            List<long[]> page = writer.subscribers(storeId, after, pageSize);
            if (page.isEmpty()) {
                return total;
            }
            List<Long> userIds = new ArrayList<>(page.size());
            page.forEach(row -> userIds.add(row[1]));
            total += deliver(eventId, content, now, userIds);
            after = page.get(page.size() - 1)[0];
            if (page.size() < pageSize) {
                return total;
            }
            stillWorking.run();
        }
    }

    private int deliver(String eventId, AlertContent content, Instant now, List<Long> userIds) {
        List<Delivery> deliveries = writer.write(eventId, content, now, userIds);
        if (!deliveries.isEmpty()) {
            created.get(content.type()).increment(deliveries.size());
            broadcaster.publish(content, now, deliveries);
        }
        return deliveries.size();
    }

    private static long holder(JsonNode payload) {
        JsonNode userId = payload.path("userId");
        if (!userId.canConvertToLong() || userId.asLong() <= 0) {
            throw new MalformedEventException("payload lacks a positive userId");
        }
        return userId.asLong();
    }
}
