package dev.couponhub.coupon.store;

import io.awspring.cloud.sqs.annotation.SqsListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Listens to store-service's events on SQS. A message whose handling fails is not acknowledged and comes back
 * after the visibility timeout (then to the dead-letter queue); repeats are recognised by their eventId.
 */
@Component
@ConditionalOnProperty(name = "couponhub.store-events.listener-enabled", havingValue = "true", matchIfMissing = true)
class StoreEventListener {

    private final StoreEventHandler handler;

    StoreEventListener(StoreEventHandler handler) {
        this.handler = handler;
    }

    @SqsListener("${couponhub.store-events.queue:store-events-coupon}")
    void onMessage(String message) {
        handler.handle(message);
    }
}
