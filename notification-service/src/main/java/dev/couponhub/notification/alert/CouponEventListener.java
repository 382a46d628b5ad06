package dev.couponhub.notification.alert;

import java.time.Duration;

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
 * or, for the bad ones, moved alone to the dead-letter queue; a failing message (no event in it, database or
 * dead-letter queue down) is made visible again after {@code retry-delay} and, after the queue's maxReceiveCount, SQS
 * moves it whole to the dead-letter queue. Other messages keep flowing meanwhile. During a long fan-out the message's
 * visibility is extended after each page, so that it is not handed to another consumer halfway.
 */
@Component
@ConditionalOnProperty(name = "couponhub.notification.listener-enabled", havingValue = "true", matchIfMissing = true)
class CouponEventListener {

    private static final Logger log = LoggerFactory.getLogger(CouponEventListener.class);
    private static final int FAN_OUT_VISIBILITY_SECONDS = 60;

    private final CouponEventHandler handler;
    private final int retrySeconds;

    CouponEventListener(CouponEventHandler handler, NotificationProperties properties) {
        this.handler = handler;
        this.retrySeconds = (int) Math.max(0, Math.min(Duration.ofHours(12).toSeconds(),
                properties.retryDelay().toSeconds()));
    }

    @SqsListener("${couponhub.notification.events-queue:coupon-events-notification}")
    void onMessage(String message, Visibility visibility) {
        try {
            handler.handle(message, () -> visibility.changeToAsync(FAN_OUT_VISIBILITY_SECONDS));
        } catch (RuntimeException e) {
            if (e instanceof UnreadableMessageException) {
                log.warn("Coupon event message refused, it will be retried and then dead-lettered: {}",
                        e.getMessage());
            } else {
                log.warn("Coupon event message failed, it will be retried: {}", e.toString());
            }
            try {
                visibility.changeTo(retrySeconds);
            } catch (RuntimeException visibilityFailure) {
                log.debug("Could not shorten the message's visibility: {}", visibilityFailure.toString());
            }
            throw e;
        }
    }
}
