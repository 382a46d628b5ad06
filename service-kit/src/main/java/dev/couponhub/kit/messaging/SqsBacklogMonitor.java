package dev.couponhub.kit.messaging;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Measures the SQS backlog of a service: every {@code couponhub.sqs.backlog.interval} it reads the approximate
 * numbers of visible and in-flight messages of each queue of {@code couponhub.sqs.backlog.queues} and of its
 * dead-letter queue, and publishes them as gauges {@code couponhub.sqs.messages{queue, state}}. It runs on a thread of
 * its own, so a slow or unreachable SQS delays nothing else; it stops first when the service shuts down.
 */
public final class SqsBacklogMonitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SqsBacklogMonitor.class);

    private final SqsAsyncClient sqs;
    private final SqsBacklogProperties properties;
    private final List<QueueBacklog> queues;
    private volatile ScheduledExecutorService executor;

    SqsBacklogMonitor(SqsAsyncClient sqs, SqsBacklogProperties properties, MeterRegistry meters) {
        this.sqs = sqs;
        this.properties = properties;
        this.queues = properties.queues().stream()
                .flatMap(queue -> Arrays.stream(QueueBacklog.withDeadLetterQueue(queue, meters)))
                .toList();
    }

    /** The names of the watched queues, dead-letter queues included. */
    public List<String> queueNames() {
        return queues.stream().map(QueueBacklog::name).toList();
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sqs-backlog");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, properties.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            if (!running.awaitTermination(properties.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                log.debug("The SQS backlog reading did not end in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /** One reading of every watched queue. */
    void refresh() {
        try {
            for (QueueBacklog queue : queues) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                queue.refresh(sqs, properties.timeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        } catch (RuntimeException e) {
            // never let an unexpected failure cancel the schedule
            log.warn("SQS backlog reading failed: {}", e.toString());
        }
    }
}
