package dev.couponhub.kit.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Moves single events to a queue's dead-letter queue ({@code <queue>-dlq}, the naming devstack, compose and Terraform
 * use). SQS's own redrive moves whole messages; a message that carries several events ({@link EventMessages}) and one
 * bad event must not take its good neighbours along, so the consumer dead-letters the bad one itself, as a message of
 * its own with the reason in attribute {@value #REASON_ATTRIBUTE}, and handles the rest.
 *
 * <p>Meter: {@code couponhub.sqs.dead.lettered{queue}}, events moved by this service.
 */
public class DeadLetters {

    public static final String REASON_ATTRIBUTE = "couponhub-dead-letter-reason";
    static final int REASON_LENGTH = 256;

    private final SqsAsyncClient sqs;
    private final Duration timeout;
    private final MeterRegistry meters;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    public DeadLetters(SqsAsyncClient sqs, Duration timeout, MeterRegistry meters) {
        this.sqs = sqs;
        this.timeout = timeout;
        this.meters = meters != null ? meters : new SimpleMeterRegistry();
    }

    /**
     * Sends one event to the dead-letter queue of {@code queue} and waits for SQS to take it.
     *
     * @param queue  the queue the event came from: a name or a URL
     * @param event  the event as it was received (its JSON text)
     * @param reason why it cannot be handled (kept short; never the event's content)
     * @throws IllegalStateException when SQS did not take it: the caller must then not acknowledge the message, so
     *                               that it comes back and the event is tried again
     */
    public void send(String queue, String event, String reason) {
        String deadLetterQueue = QueueNames.deadLetterQueueOf(queue);
        String why = reason == null || reason.isBlank() ? "unreadable event"
                : reason.length() > REASON_LENGTH ? reason.substring(0, REASON_LENGTH) : reason;
        try {
            String url = url(deadLetterQueue);
            sqs.sendMessage(request -> request.queueUrl(url).messageBody(event)
                            .messageAttributes(Map.of(REASON_ATTRIBUTE, MessageAttributeValue.builder()
                                    .dataType("String").stringValue(why).build())))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering an event to " + deadLetterQueue, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            urls.remove(deadLetterQueue);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot dead-letter an event to " + deadLetterQueue + ": " + cause, cause);
        }
        Counter.builder("couponhub.sqs.dead.lettered").tag("queue", QueueNames.nameOf(deadLetterQueue))
                .description("Single events this service moved to a dead-letter queue").register(meters).increment();
    }

    private String url(String queue) throws InterruptedException, ExecutionException, TimeoutException {
        String url = urls.get(queue);
        if (url == null) {
            url = QueueNames.isUrl(queue) ? queue
                    : sqs.getQueueUrl(request -> request.queueName(queue))
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS).queueUrl();
            urls.put(queue, url);
        }
        return url;
    }
}
