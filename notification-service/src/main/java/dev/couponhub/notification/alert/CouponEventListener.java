package dev.couponhub.notification.alert;

import dev.couponhub.kit.messaging.DeadLetters;
import dev.couponhub.kit.messaging.UnreadableMessageException;
import dev.couponhub.notification.config.NotificationProperties;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Consumes coupon events from SQS ({@code couponhub.notification.events-queue}), a message at a time: one event or an
 * array of them ({@link CouponEventHandler}). A message is acknowledged (deleted) only when all its events are handled
 * or, for the bad ones, moved alone to the dead-letter queue; a message with no event in it at all is moved whole to
 * the dead-letter queue at once, with its reason. A failing message (database or dead-letter queue down) comes back
 * after service-kit's back-off (2 s doubling with each receive, at most 5 minutes, {@code couponhub.sqs.retry.*}) and,
 * after the queue's maxReceiveCount, SQS moves it whole to the dead-letter queue. Other messages keep flowing. During a long fan-out the message's
 * visibility is extended after each page, so that it is not handed to another consumer halfway.
 */
@Component
@ConditionalOnProperty(name = "couponhub.notification.listener-enabled", havingValue = "true", matchIfMissing = true)
class CouponEventListener {

    private static final Logger log = LoggerFactory.getLogger(CouponEventListener.class);
    private static final int FAN_OUT_VISIBILITY_SECONDS = 60;

    private final CouponEventHandler handler;
    private final DeadLetters deadLetters;
    private final String queue;

    CouponEventListener(CouponEventHandler handler, DeadLetters deadLetters, NotificationProperties properties) {
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.queue = properties.eventsQueue();
    }

    @SqsListener("${couponhub.notification.events-queue:coupon-events-notification}")
    void onMessage(String message, Visibility visibility) {
        try {
            handler.handle(message, () -> visibility.changeToAsync(FAN_OUT_VISIBILITY_SECONDS));
        } catch (UnreadableMessageException e) {
            // retrying could never help; throws when SQS does not take it, and the message then comes back
            deadLetters.send(queue, message, e.getMessage());
            log.warn("Coupon event message refused ({}), moved to the dead-letter queue of {}", e.getMessage(), queue);
        } catch (RuntimeException e) {
            log.warn("Coupon event message failed, it will be retried: {}", e.toString());
            throw e; // not acknowledged: the kit's error handler sets when it comes back
        }
    }
}
