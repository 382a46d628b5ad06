package dev.couponhub.kit.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The size of one SQS queue as of the last reading, published as gauges {@code couponhub.sqs.messages} tagged with
 * the queue name and {@code state=visible} (waiting to be received) or {@code state=in_flight} (received, neither
 * deleted nor visible again yet). A failed reading reports NaN (unknown) until the next one succeeds.
 */
final class QueueBacklog {

    static final String METER = "couponhub.sqs.messages";

    private static final Logger log = LoggerFactory.getLogger(QueueBacklog.class);

    private static final String DESCRIPTION = "Messages in the SQS queue (approximate) as of the last reading: "
            + "visible = waiting, in_flight = received and not yet deleted; NaN when it could not be read";

    private final String name;
    private final boolean resolveByName;
    private volatile String url;
    private volatile double visible = Double.NaN;
    private volatile double inFlight = Double.NaN;
    private boolean failing;

    /** @param queue a queue name, or the queue's URL (the name is its last path segment) */
    private QueueBacklog(String queue, MeterRegistry meters) {
        this.resolveByName = !QueueNames.isUrl(queue);
        this.name = QueueNames.nameOf(queue);
        this.url = resolveByName ? null : queue;
        Gauge.builder(METER, this, backlog -> backlog.visible)
                .description(DESCRIPTION)
                .tags("queue", name, "state", "visible")
                .register(meters);
        Gauge.builder(METER, this, backlog -> backlog.inFlight)
                .description(DESCRIPTION)
                .tags("queue", name, "state", "in_flight")
                .register(meters);
    }

    /**
     * The queue (a name or a URL) and its dead-letter queue {@code <queue>-dlq} (for a URL, the same URL with
     * {@code -dlq} appended: SQS URLs end with the queue name).
     */
    static QueueBacklog[] withDeadLetterQueue(String queue, MeterRegistry meters) {
        String base = queue.strip();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return new QueueBacklog[] {new QueueBacklog(base, meters),
                new QueueBacklog(QueueNames.deadLetterQueueOf(base), meters)};
    }

    String name() {
        return name;
    }

    double visible() {
        return visible;
    }

    double inFlight() {
        return inFlight;
    }

    /**
     * Reads the queue's attributes, resolving its URL first if that has not succeeded yet. Never throws: a failure
     * (SQS unreachable, slower than {@code timeout}, queue missing) makes the gauges NaN and is logged once at WARN
     * until a reading succeeds again.
     *
     * @throws InterruptedException when the thread is interrupted (the service is stopping)
     */
    void refresh(SqsAsyncClient sqs, Duration timeout) throws InterruptedException {
        try {
            String queueUrl = url;
            if (queueUrl == null) {
                queueUrl = await(sqs.getQueueUrl(request -> request.queueName(name)
                        .overrideConfiguration(call -> call.apiCallTimeout(timeout))), timeout).queueUrl();
                url = queueUrl;
            }
            String target = queueUrl;
            Map<QueueAttributeName, String> attributes = await(sqs.getQueueAttributes(request -> request
                    .queueUrl(target)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                    .overrideConfiguration(call -> call.apiCallTimeout(timeout))), timeout).attributes();
            visible = count(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            inFlight = count(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            if (failing) {
                log.info("SQS queue {} can be read again: {} messages waiting", name, (long) visible);
                failing = false;
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            visible = Double.NaN;
            inFlight = Double.NaN;
            Throwable cause = e instanceof ExecutionException || e instanceof CompletionException
                    ? (e.getCause() == null ? e : e.getCause()) : e;
            if (resolveByName && cause instanceof QueueDoesNotExistException) {
                url = null; // the queue may come back under another URL
            }
            if (!failing) {
                log.warn("Cannot read the size of SQS queue {} (its backlog gauge shows no value until it can): {}",
                        name, cause.toString());
                failing = true;
            } else {
                log.debug("SQS queue {} still cannot be read: {}", name, cause.toString());
            }
        }
    }

    private static double count(String value) {
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    private static <T> T await(CompletableFuture<T> call, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }
}
