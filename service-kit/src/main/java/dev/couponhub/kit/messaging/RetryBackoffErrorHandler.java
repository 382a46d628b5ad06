package dev.couponhub.kit.messaging;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.awspring.cloud.sqs.listener.errorhandler.AsyncErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * The failure handling of every SQS listener of a service (set on Spring Cloud AWS's default listener container
 * factory by {@link MessagingAutoConfiguration}): a message whose handling failed is left unacknowledged, as before,
 * and made invisible for {@link RetryBackoff#delaySecondsAfter} its receive count (SQS attribute
 * {@code ApproximateReceiveCount}), so that its retries spread over the queue's maxReceiveCount instead of using them
 * up within seconds. When the visibility cannot be changed the message comes back after the queue's own visibility
 * time-out, still unacknowledged.
 */
public class RetryBackoffErrorHandler implements AsyncErrorHandler<Object> {

    private static final Logger log = LoggerFactory.getLogger(RetryBackoffErrorHandler.class);

    private final RetryBackoff backoff;

    public RetryBackoffErrorHandler(RetryBackoff backoff) {
        this.backoff = backoff;
    }

    @Override
    public CompletableFuture<Void> handle(Message<Object> message, Throwable t) {
        return delay(message).thenCompose(ignored -> CompletableFuture.failedFuture(t));
    }

    @Override
    public CompletableFuture<Void> handle(Collection<Message<Object>> messages, Throwable t) {
        return CompletableFuture.allOf(messages.stream().map(this::delay).toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> CompletableFuture.failedFuture(t));
    }

    private CompletableFuture<Void> delay(Message<?> message) {
        long receiveCount = receiveCount(message);
        int seconds = backoff.delaySecondsAfter(receiveCount);
        Visibility visibility = message.getHeaders().get(SqsHeaders.SQS_VISIBILITY_TIMEOUT_HEADER, Visibility.class);
        if (visibility == null) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return visibility.changeToAsync(seconds)
                    .exceptionally(failure -> {
                        log.debug("Could not set the visibility of a failed message: {}", failure.toString());
                        return null;
                    });
        } catch (RuntimeException failure) {
            log.debug("Could not set the visibility of a failed message: {}", failure.toString());
            return CompletableFuture.completedFuture(null);
        }
    }

    static long receiveCount(Message<?> message) {
        Object count = message.getHeaders().get(SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT);
        if (count == null) {
            return 1;
        }
        try {
            return Long.parseLong(count.toString().strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
