package dev.couponhub.kit.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.couponhub.kit.messaging.EventMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends unsent outbox events to SQS. One run locks a batch of due events, oldest first ({@code FOR UPDATE SKIP
 * LOCKED}, so that relays of several instances never send the same event at the same time), sends each to every one
 * of its queues in SQS batches of ten, marks those every queue acknowledged sent and gives the others a back-off,
 * all in one transaction. Delivery is at least once: if the transaction cannot commit after SQS acknowledged, the
 * events are sent again later; consumers deduplicate by {@code eventId}. When SQS is unreachable nothing is lost: events stay in
 * the table and are retried. With {@code relay.events-per-message} above 1, the events of one queue travel packed
 * several to a message ({@link EventMessages}), which the consumers must read.
 *
 * <p>Meters: {@code couponhub.outbox.sent} and {@code couponhub.outbox.send.failures} (counters of events) and
 * {@code couponhub.outbox.pending} (gauge of unsent events, counted at most every 5 s by the scheduled runs and on
 * {@link #refreshPending()}).
 */
public class OutboxRelay {

    /** SQS takes at most ten messages per batch. */
    static final int SQS_BATCH_LIMIT = 10;
    /** Largest UTF-8 body of a message that packs several events (SQS takes 256 KiB). */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Largest sum of the UTF-8 bodies of one SendMessageBatch request (SQS: 256 KiB for the whole request). */
    static final int MAX_REQUEST_BYTES = 240 * 1024;
    /** A scheduled run goes on while it finds full batches, up to this many of them. */
    static final int MAX_BATCHES_PER_RUN = 20;
    static final int PURGE_CHUNK = 1000;
    private static final long PENDING_COUNT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxTable table;
    private final TransactionTemplate tx;
    private final SqsAsyncClient sqs;
    private final OutboxProperties properties;
    private final Clock clock;
    private final Counter sentCounter;
    private final Counter failedCounter;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private volatile boolean failing;
    /** Events not yet acknowledged by SQS (the backlog), as of the last count. */
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean pendingCounted;
    private volatile long pendingCountedAt;

    OutboxRelay(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, SqsAsyncClient sqs,
                OutboxProperties properties, Clock clock, MeterRegistry meters) {
        this.table = new OutboxTable(jdbc, properties);
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.sqs = sqs;
        this.properties = properties;
        this.clock = clock;
        this.sentCounter = Counter.builder("couponhub.outbox.sent")
                .description("Outbox events acknowledged by SQS").register(meters);
        this.failedCounter = Counter.builder("couponhub.outbox.send.failures")
                .description("Outbox events that could not be sent (they are retried)").register(meters);
        Gauge.builder("couponhub.outbox.pending", pending, AtomicLong::get)
                .description("Outbox events not yet acknowledged by SQS, counted at most every 5 s").register(meters);
    }

    /** Counts the events still waiting for SQS, for the {@code couponhub.outbox.pending} gauge. */
    public long refreshPending() {
        long count = table.countUnsent();
        pending.set(count);
        pendingCountedAt = System.nanoTime();
        pendingCounted = true;
        return count;
    }

    /** For the scheduler: drains full batches, and reports trouble once rather than on every run. */
    public void runScheduled() {
        try {
            for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
                if (relayOnce().claimed() < properties.relay().batchSize()) {
                    break;
                }
            }
            if (!pendingCounted || System.nanoTime() - pendingCountedAt > PENDING_COUNT_EVERY_NANOS) {
                refreshPending();
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Outbox relay run failed; retrying every {}: {}", properties.relay().interval(), e.toString());
                failing = true;
            }
        }
    }

    /** For the scheduler: deletes events sent longer ago than the retention. */
    public void purgeScheduled() {
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Purged {} outbox events sent before the last {}", purged, properties.retention());
            }
        } catch (RuntimeException e) {
            log.warn("Outbox purge failed: {}", e.toString());
        }
    }

    /**
     * How one run went.
     *
     * @param claimed events locked for sending
     * @param sent    of those, events SQS acknowledged (now marked sent)
     */
    public record Outcome(int claimed, int sent) {
    }

    /** One run: locks, sends and marks at most one batch of due events. */
    public Outcome relayOnce() {
        Outcome outcome = tx.execute(status -> {
            List<OutboxEntry> due = table.lockDue(now(), properties.relay().batchSize());
            if (due.isEmpty()) {
                return new Outcome(0, 0);
            }
            Set<Long> delivered = send(due);
            Instant done = now();
            OutboxProperties.Relay relay = properties.relay();
            table.markFailed(due.stream().filter(entry -> !delivered.contains(entry.id())).toList(),
                    entry -> entry.nextAttemptAfterFailure(done, relay.initialBackoff(), relay.maxBackoff()));
            // one statement for the whole acknowledged batch rather than one update per entry
            table.markSent(delivered, done);
            return new Outcome(due.size(), delivered.size());
        });
        if (outcome.claimed() > 0) {
            sentCounter.increment(outcome.sent());
            failedCounter.increment(outcome.claimed() - outcome.sent());
        }
        if (outcome.sent() == outcome.claimed() && failing) {
            log.info("Outbox relay recovered");
            failing = false;
        }
        return outcome;
    }

    /** Deletes every event sent before the retention period; unsent events are never deleted. */
    public int purge() {
        Instant before = now().minus(properties.retention());
        int total = 0;
        int deleted;
        do {
            Integer chunk = tx.execute(status -> table.deleteSentBefore(before, PURGE_CHUNK));
            deleted = chunk == null ? 0 : chunk;
            total += deleted;
        } while (deleted == PURGE_CHUNK);
        return total;
    }

    /**
     * Sends the entries, each to every one of its queues; answers the ids of those every queue acknowledged. An entry
     * one queue took and another did not is sent to both again next time: consumers deduplicate by {@code eventId}.
     */
    private Set<Long> send(List<OutboxEntry> due) {
        long deadline = System.nanoTime() + properties.relay().sendTimeout().toNanos();
        Map<String, List<OutboxEntry>> byQueue = new LinkedHashMap<>();
        for (OutboxEntry entry : due) {
            for (String queue : queuesOf(entry)) {
                byQueue.computeIfAbsent(queue, key -> new ArrayList<>()).add(entry);
            }
        }
        // each body is written once, whatever the number of queues it goes to
        Map<Long, String> bodies = new HashMap<>();
        due.forEach(entry -> bodies.put(entry.id(), entry.message()));
        Map<Long, Integer> acknowledged = new HashMap<>();
        byQueue.forEach((queue, entries) -> send(queue, entries, entry -> bodies.get(entry.id()), deadline)
                .forEach(id -> acknowledged.merge(id, 1, Integer::sum)));
        Set<Long> delivered = new HashSet<>();
        for (OutboxEntry entry : due) {
            if (acknowledged.getOrDefault(entry.id(), 0) == queuesOf(entry).size()) {
                delivered.add(entry.id());
            }
        }
        return delivered;
    }

    /** The queues of an entry: the one it names, else every queue of the outbox. */
    private List<String> queuesOf(OutboxEntry entry) {
        return entry.destination() != null ? List.of(entry.destination()) : properties.destinations();
    }

    private Set<Long> send(String queue, List<OutboxEntry> due, Function<OutboxEntry, String> bodies, long deadline) {
        Set<Long> delivered = new HashSet<>();
        String url;
        try {
            url = queueUrl(queue, deadline);
        } catch (Exception e) {
            reportFailure(due.size(), "cannot resolve queue " + queue, e);
            return delivered;
        }
        List<Message> messages = pack(due, properties.relay().eventsPerMessage(), bodies);
        Map<String, Message> byId = new HashMap<>();
        List<CompletableFuture<SendMessageBatchResponse>> requests = new ArrayList<>();
        for (List<Message> batch : requests(messages)) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (Message message : batch) {
                String id = Integer.toString(byId.size());
                byId.put(id, message);
                entries.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(message.body()).build());
            }
            requests.add(sqs.sendMessageBatch(request -> request.queueUrl(url).entries(entries)));
        }
        int failedBatches = 0;
        Exception lastFailure = null;
        for (CompletableFuture<SendMessageBatchResponse> request : requests) {
            try {
                SendMessageBatchResponse response = await(request, deadline);
                response.successful().forEach(ok -> byId.get(ok.id()).entries()
                        .forEach(entry -> delivered.add(entry.id())));
                for (BatchResultErrorEntry error : response.failed()) {
                    log.warn("SQS refused a message of {} outbox event(s) from id {}: {} {} (sender fault: {})",
                            byId.get(error.id()).entries().size(), byId.get(error.id()).entries().get(0).id(),
                            error.code(), error.message(), error.senderFault());
                }
            } catch (Exception e) {
                request.cancel(true);
                failedBatches++;
                lastFailure = e;
            }
        }
        if (failedBatches > 0) {
            queueUrls.remove(queue); // resolved again next time, in case the queue was re-created
            reportFailure(due.size() - delivered.size(), "cannot reach SQS queue " + queue, lastFailure);
        }
        return delivered;
    }

    /** One SQS message: the body and the outbox entries it carries. */
    record Message(String body, List<OutboxEntry> entries) {
    }

    /**
     * Packs entries of one queue into messages of at most {@code eventsPerMessage} events and
     * {@link #MAX_MESSAGE_BYTES} (a JSON array, see {@link EventMessages}; an entry alone stays a plain event), in
     * their order.
     */
    static List<Message> pack(List<OutboxEntry> due, int eventsPerMessage) {
        return pack(due, eventsPerMessage, OutboxEntry::message);
    }

    /** {@link #pack(List, int)} with each entry's message body given. */
    static List<Message> pack(List<OutboxEntry> due, int eventsPerMessage, Function<OutboxEntry, String> bodyOf) {
        List<Message> messages = new ArrayList<>();
        List<OutboxEntry> entries = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        int bytes = 2;
        for (OutboxEntry entry : due) {
            String body = bodyOf.apply(entry);
            int size = utf8Length(body) + 1;
            if (!entries.isEmpty() && (entries.size() == eventsPerMessage || bytes + size > MAX_MESSAGE_BYTES)) {
                messages.add(new Message(EventMessages.pack(bodies), List.copyOf(entries)));
                entries.clear();
                bodies.clear();
                bytes = 2;
            }
            entries.add(entry);
            bodies.add(body);
            bytes += size;
        }
        if (!entries.isEmpty()) {
            messages.add(new Message(EventMessages.pack(bodies), List.copyOf(entries)));
        }
        return messages;
    }

    /** Groups messages into SendMessageBatch requests: at most ten and {@link #MAX_REQUEST_BYTES} each. */
    static List<List<Message>> requests(List<Message> messages) {
        List<List<Message>> requests = new ArrayList<>();
        List<Message> current = new ArrayList<>();
        int bytes = 0;
        for (Message message : messages) {
            int size = utf8Length(message.body());
            if (!current.isEmpty() && (current.size() == SQS_BATCH_LIMIT || bytes + size > MAX_REQUEST_BYTES)) {
                requests.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(message);
            bytes += size;
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private String queueUrl(String queue, long deadline) throws Exception {
        String url = queueUrls.get(queue);
        if (url == null) {
            url = queue.startsWith("https://") || queue.startsWith("http://") ? queue
                    : await(sqs.getQueueUrl(request -> request.queueName(queue)), deadline).queueUrl();
            queueUrls.put(queue, url);
        }
        return url;
    }

    private void reportFailure(int events, String what, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (!failing) {
            log.warn("Outbox relay: {}; {} events stay unsent and are retried with back-off: {}", what, events,
                    cause.toString());
            failing = true;
        } else {
            log.debug("Outbox relay still failing: {}: {}", what, cause.toString());
        }
    }

    private static <T> T await(CompletableFuture<T> future, long deadlineNanos) throws Exception {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException("send timeout reached");
        }
        try {
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
