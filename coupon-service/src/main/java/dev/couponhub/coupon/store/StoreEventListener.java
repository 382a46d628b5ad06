package dev.couponhub.coupon.store;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.messaging.DeadLetters;
import dev.couponhub.kit.messaging.EventMessages;
import dev.couponhub.kit.messaging.UnreadableMessageException;
import io.awspring.cloud.sqs.annotation.SqsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Listens to store-service's events on SQS; a message carries one event or a JSON array of them. An event that can
 * never be applied (the message is not JSON, a field is missing or has the wrong type) is moved at once, alone, to the
 * queue's dead-letter queue with its reason (service-kit's {@link DeadLetters}), and its neighbours are applied. A
 * message whose handling fails otherwise (database down, the dead-letter queue refusing) is not acknowledged and comes
 * back after service-kit's back-off (then, after the queue's maxReceiveCount, to the dead-letter queue); repeats are
 * recognised by their eventId.
 */
@Component
@ConditionalOnProperty(name = "couponhub.store-events.listener-enabled", havingValue = "true", matchIfMissing = true)
class StoreEventListener {

    private static final Logger log = LoggerFactory.getLogger(StoreEventListener.class);

    private final StoreEventHandler handler;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final String queue;

    StoreEventListener(StoreEventHandler handler, DeadLetters deadLetters, ObjectMapper json,
                       @Value("${couponhub.store-events.queue:store-events-coupon}") String queue) {
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.json = json;
        this.queue = queue;
    }

    @SqsListener("${couponhub.store-events.queue:store-events-coupon}")
    void onMessage(String message) {
        List<JsonNode> events;
        try {
            events = EventMessages.read(json, message);
        } catch (UnreadableMessageException e) {
            // throws when SQS does not take it: the message is then not acknowledged and comes back
            deadLetters.send(queue, message, e.getMessage());
            log.warn("Unreadable store event message ({}) moved to the dead-letter queue of {}", e.getMessage(), queue);
            return;
        }
        for (JsonNode event : events) {
            try {
                handler.handle(event);
            } catch (UnreadableMessageException e) {
                deadLetters.send(queue, event.toString(), e.getMessage());
                log.warn("Invalid store event {} ({}) moved alone to the dead-letter queue of {}",
                        event.path("eventId").asText("?"), e.getMessage(), queue);
            }
        }
    }
}
