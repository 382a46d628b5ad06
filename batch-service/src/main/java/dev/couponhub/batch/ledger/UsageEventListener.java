package dev.couponhub.batch.ledger;

import dev.couponhub.batch.config.StatsProperties;
import dev.couponhub.kit.messaging.DeadLetters;
import dev.couponhub.kit.messaging.UnreadableMessageException;
import io.awspring.cloud.sqs.annotation.SqsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Consumes coupon-service's events for statistics; a message carries one event or a JSON array of them. A message is
 * acknowledged only once its valid events are recorded and its invalid ones, each alone, are in the dead-letter queue
 * ({@link DeadLetters}); a body that carries no event at all (not JSON, not an event or array of events) is moved
 * whole to the dead-letter queue at once, with its reason: retrying it could never help. A message that fails
 * otherwise (the database or SQS failing) comes back after service-kit's back-off (recording again changes nothing)
 * and, after the queue's maximum receive count, goes whole to the dead-letter queue, while the other messages keep
 * flowing.
 */
@Component
@ConditionalOnProperty(name = "couponhub.stats.listener-enabled", havingValue = "true", matchIfMissing = true)
class UsageEventListener {

    private static final Logger log = LoggerFactory.getLogger(UsageEventListener.class);

    private final UsageLedger ledger;
    private final DeadLetters deadLetters;
    private final String queue;

    UsageEventListener(UsageLedger ledger, DeadLetters deadLetters, StatsProperties properties) {
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.queue = properties.eventsQueue();
    }

    @SqsListener("${couponhub.stats.events-queue:coupon-events-stats}")
    void onMessage(String message) {
        UsageLedger.Outcome outcome;
        try {
            outcome = ledger.record(message);
        } catch (UnreadableMessageException e) {
            // throws when SQS does not take it: the message is then not acknowledged and comes back
            deadLetters.send(queue, message, e.getMessage());
            log.warn("{}; the message was moved to the dead-letter queue of {}", e.getMessage(), queue);
            return;
        }
        for (UsageLedger.Rejected rejected : outcome.rejected()) {
            // throws when SQS does not take it: the message is then not acknowledged and comes back
            deadLetters.send(queue, rejected.event().toString(), rejected.reason());
            log.warn("Invalid coupon event ({}) moved alone to the dead-letter queue of {}", rejected.reason(), queue);
        }
    }
}
