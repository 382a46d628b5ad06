package dev.couponhub.batch.ledger;

import io.awspring.cloud.sqs.annotation.SqsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Consumes coupon-service's events for statistics. A message is acknowledged only once it is recorded; one that
 * fails comes back after the visibility timeout and, after the queue's maximum receive count, goes to its
 * dead-letter queue, while the other messages keep flowing.
 */
@Component
@ConditionalOnProperty(name = "couponhub.stats.listener-enabled", havingValue = "true", matchIfMissing = true)
class UsageEventListener {

    private static final Logger log = LoggerFactory.getLogger(UsageEventListener.class);

    private final UsageLedger ledger;

    UsageEventListener(UsageLedger ledger) {
        this.ledger = ledger;
    }

    @SqsListener("${couponhub.stats.events-queue:coupon-events-stats}")
    void onMessage(String message) {
        try {
            ledger.record(message);
        } catch (InvalidEventException e) {
            log.warn("{}; leaving the message to the dead-letter queue", e.getMessage());
            throw e;
        }
    }
}
