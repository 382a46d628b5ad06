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
import dev.couponhub.kit.tracing.TraceContexts;
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
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends unsent outbox events to SQS, at least once, oldest first. One run:
 * <ol>
 *   <li>claims a batch of due events, oldest first, in a short transaction: {@code FOR UPDATE SKIP LOCKED}, so that
 *       the relays of several instances never claim the same event, and a lease ({@code next_attempt_at} moved
 *       {@code relay.lease} ahead) that keeps other runs off the events once that transaction has committed;</li>
 *   <li>sends each event to every one of its queues in SQS batches of ten, outside any transaction: no row stays
 *       locked while SQS is waited for (up to {@code relay.send-timeout});</li>
 *   <li>records the outcome in a second short transaction: events every queue acknowledged are marked sent; an event
 *       SQS refused on its own (an entry of a batch result's errors) counts an attempt and waits a back-off of its
 *       own, and after {@code relay.max-attempts} is parked ({@code parked_at}): logged at ERROR with its event id
 *       and type, counted, never claimed or purged again until an operator re-queues it; events SQS could not be
 *       reached for are given back, due at once, their attempts untouched.</li>
 * </ol>
 * When SQS cannot be reached or fails a whole request, the relay itself pauses (from {@code relay.outage-backoff},
 * doubling up to {@code relay.max-outage-backoff}) instead of giving each event a back-off: once SQS answers again the
 * waiting events go first, in their order. If an instance dies between its claim and its record, its events are due
 * again when their lease ends, and sent by another run. If SQS acknowledged an event whose outcome could not be
 * recorded, the event is sent again: consumers deduplicate by {@code eventId}. With {@code relay.events-per-message}
 * above 1, the events of one queue travel packed several to a message ({@link EventMessages}), which the consumers
 * must read; an event SQS refused before travels alone. A message whose events include one of a sampled trace carries
 * the first such event's trace in the message attribute {@value TraceContexts#TRACEPARENT}, which the consumer's
 * listener observation continues; another traced event packed in the same message is not continued past the relay
 * (sending traced events alone would have cost about twice the messages, and twice the consumers' work, at a tenth
 * of the requests sampled: docs/benchmarks.md, runs 104-110).
 *
 * <p>Meters: {@code couponhub.outbox.sent} and {@code couponhub.outbox.send.failures} (counters of events sent, and
 * not sent by a run), {@code couponhub.outbox.parked} (counter of events parked), and the gauges
 * {@code couponhub.outbox.pending} (unsent events, parked ones aside) and {@code couponhub.outbox.parked.rows} (parked
 * events waiting for an operator), both counted at most every 5 s by the scheduled runs and on
 * {@link #refreshPending()}.
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
    private final Counter parkedCounter;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    /** The scheduled runs failed (the database, most likely) and said so once. */
    private volatile boolean runFailing;
    /** The relay's pause while SQS is out, 0 when it is not; the next scheduled run not before {@link #resumeAt}. */
    private volatile long outagePauseNanos;
    private volatile long resumeAt;
    private volatile long outageSince;
    /** Events not yet acknowledged by SQS (the backlog, parked events aside), as of the last count. */
    private final AtomicLong pending = new AtomicLong();
    /** Parked events, as of the last count. */
    private final AtomicLong parked = new AtomicLong();
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
                .description("Outbox events a relay run could not send (tried again, or parked)").register(meters);
        this.parkedCounter = Counter.builder("couponhub.outbox.parked")
                .description("Outbox events parked after SQS refused them relay.max-attempts times").register(meters);
        Gauge.builder("couponhub.outbox.pending", pending, AtomicLong::get)
                .description("Outbox events not yet acknowledged by SQS, parked ones aside, counted at most every 5 s")
                .register(meters);
        Gauge.builder("couponhub.outbox.parked.rows", parked, AtomicLong::get)
                .description("Parked outbox events waiting for an operator, counted at most every 5 s")
                .register(meters);
    }

    /**
     * Counts the events still waiting for SQS and those parked, for the {@code couponhub.outbox.pending} and
     * {@code couponhub.outbox.parked.rows} gauges (one query).
     *
     * @return the events waiting for SQS, parked ones aside
     */
    public long refreshPending() {
        OutboxTable.Backlog backlog = table.countUnsent();
        pending.set(backlog.pending());
        parked.set(backlog.parked());
        pendingCountedAt = System.nanoTime();
        pendingCounted = true;
        return backlog.pending();
    }

    /**
     * For the scheduler: drains full batches unless the relay pauses for an SQS outage, and reports trouble once
     * rather than on every run.
     */
    public void runScheduled() {
        try {
            if (!paused()) {
                for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
                    if (relayOnce().claimed() < properties.relay().batchSize() || paused()) {
                        break;
                    }
                }
            }
            if (!pendingCounted || System.nanoTime() - pendingCountedAt > PENDING_COUNT_EVERY_NANOS) {
                refreshPending();
            }
            if (runFailing) {
                log.info("Outbox relay runs again");
                runFailing = false;
            }
        } catch (RuntimeException e) {
            if (!runFailing) {
                log.warn("Outbox relay run failed; retrying every {}: {}", properties.relay().interval(), e.toString());
                runFailing = true;
            }
        }
    }

    /** Whether the scheduled runs wait for SQS to come back. */
    boolean paused() {
        return outagePauseNanos != 0 && System.nanoTime() - resumeAt < 0;
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
     * @param claimed events claimed for sending
     * @param sent    of those, events SQS acknowledged (now marked sent)
     * @param parked  of those, events SQS refused for the last time (now parked)
     */
    public record Outcome(int claimed, int sent, int parked) {

        public Outcome(int claimed, int sent) {
            this(claimed, sent, 0);
        }
    }

    /**
     * One run: claims, sends and records at most one batch of due events. Runs at once, also while the scheduled
     * runs pause for an SQS outage; its outcome starts, lengthens or ends that pause.
     */
    public Outcome relayOnce() {
        OutboxProperties.Relay relay = properties.relay();
        Instant claimedAt = now();
        Instant leasedUntil = claimedAt.plus(relay.lease());
        List<OutboxEntry> due = tx.execute(status -> table.claimDue(claimedAt, leasedUntil, relay.batchSize()));
        if (due == null || due.isEmpty()) {
            return new Outcome(0, 0);
        }
        Delivery delivery = send(due);
        Instant done = now();
        List<OutboxEntry> refused = new ArrayList<>();
        List<OutboxEntry> parking = new ArrayList<>();
        List<Long> unreached = new ArrayList<>();
        for (OutboxEntry entry : due) {
            if (delivery.delivered.contains(entry.id())) {
                continue;
            }
            if (delivery.refusals.containsKey(entry.id())) {
                (entry.attempts() + 1 >= relay.maxAttempts() ? parking : refused).add(entry);
            } else {
                unreached.add(entry.id());
            }
        }
        List<Long> parkingIds = parking.stream().map(OutboxEntry::id).toList();
        tx.executeWithoutResult(status -> {
            // one statement for the whole acknowledged batch rather than one update per entry
            table.markSent(delivery.delivered, done);
            table.markRefused(refused,
                    entry -> entry.nextAttemptAfterFailure(done, relay.initialBackoff(), relay.maxBackoff()));
            table.park(parkingIds, done);
            table.release(unreached, leasedUntil, done);
        });
        sentCounter.increment(delivery.delivered.size());
        failedCounter.increment(due.size() - delivery.delivered.size());
        for (OutboxEntry entry : parking) {
            parkedCounter.increment();
            log.error("Outbox event parked after {} attempts SQS refused; it is not sent again until an operator "
                            + "re-queues it (table {}, id {}): eventId {}, type {}, last refusal: {}",
                    entry.attempts() + 1, properties.table(), entry.id(), entry.eventId(), entry.type(),
                    delivery.refusals.get(entry.id()));
        }
        if (delivery.outage != null) {
            pause(unreached.size(), delivery.outage, delivery.outageCause);
        } else if (outagePauseNanos != 0) {
            log.info("Outbox relay: SQS answers again after {} s; the events that waited go first",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageSince));
            outagePauseNanos = 0;
        }
        return new Outcome(due.size(), delivery.delivered.size(), parking.size());
    }

    /** SQS could not be reached, or failed a request: the scheduled runs pause, longer each time it happens again. */
    private void pause(int waiting, String what, Throwable e) {
        OutboxProperties.Relay relay = properties.relay();
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        long pause;
        if (outagePauseNanos == 0) {
            pause = relay.outageBackoff().toNanos();
            outageSince = System.nanoTime();
            log.warn("Outbox relay: {}; {} events wait, in order, while the relay pauses ({} at first, up to {}): {}",
                    what, waiting, relay.outageBackoff(), relay.maxOutageBackoff(), String.valueOf(cause));
        } else {
            pause = Math.min(outagePauseNanos * 2, relay.maxOutageBackoff().toNanos());
            log.debug("Outbox relay still failing: {}: {}", what, String.valueOf(cause));
        }
        outagePauseNanos = pause;
        resumeAt = System.nanoTime() + pause;
    }

    /** Deletes every event sent before the retention period; unsent and parked events are never deleted. */
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
     * What became of a run's entries.
     *
     * <p>{@code delivered}: acknowledged by every one of their queues; {@code refusals}: refused by SQS on their own
     * by at least one queue, with the last reason; {@code outage}: what failed when a queue could not be reached or a
     * request failed as a whole (null when none did); the other entries were not sent.
     */
    private static final class Delivery {
        final Set<Long> delivered = new HashSet<>();
        final Map<Long, String> refusals = new HashMap<>();
        String outage;
        Throwable outageCause;

        void outage(String what, Throwable cause) {
            if (outage == null) {
                outage = what;
                outageCause = cause;
            }
        }
    }

    /**
     * Sends the entries, each to every one of its queues. An entry one queue took and another did not is sent to
     * both again next time: consumers deduplicate by {@code eventId}.
     */
    private Delivery send(List<OutboxEntry> due) {
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
        Delivery delivery = new Delivery();
        Map<Long, Integer> acknowledged = new HashMap<>();
        byQueue.forEach((queue, entries) -> send(queue, entries, entry -> bodies.get(entry.id()), deadline, delivery)
                .forEach(id -> acknowledged.merge(id, 1, Integer::sum)));
        for (OutboxEntry entry : due) {
            if (acknowledged.getOrDefault(entry.id(), 0) == queuesOf(entry).size()) {
                delivery.delivered.add(entry.id());
            }
        }
        return delivery;
    }

    /** The queues of an entry: the one it names, else every queue of the outbox. */
    private List<String> queuesOf(OutboxEntry entry) {
        return entry.destination() != null ? List.of(entry.destination()) : properties.destinations();
    }

    /** Sends entries to one queue; answers the ids it acknowledged, and notes refusals and failures in delivery. */
    private Set<Long> send(String queue, List<OutboxEntry> due, Function<OutboxEntry, String> bodies, long deadline,
                           Delivery delivery) {
        Set<Long> delivered = new HashSet<>();
        String url;
        try {
            url = queueUrl(queue, deadline);
        } catch (Exception e) {
            delivery.outage("cannot resolve queue " + queue, e);
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
                SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder().id(id)
                        .messageBody(message.body());
                String trace = message.traceParent();
                if (trace != null) {
                    entry.messageAttributes(Map.of(TraceContexts.TRACEPARENT,
                            MessageAttributeValue.builder().dataType("String").stringValue(trace).build()));
                }
                entries.add(entry.build());
            }
            requests.add(sqs.sendMessageBatch(request -> request.queueUrl(url).entries(entries)));
        }
        boolean failed = false;
        for (CompletableFuture<SendMessageBatchResponse> request : requests) {
            try {
                SendMessageBatchResponse response = await(request, deadline);
                response.successful().forEach(ok -> byId.get(ok.id()).entries()
                        .forEach(entry -> delivered.add(entry.id())));
                for (BatchResultErrorEntry error : response.failed()) {
                    List<OutboxEntry> refused = byId.get(error.id()).entries();
                    String reason = queue + ": " + error.code() + " " + error.message() + " (sender fault: "
                            + error.senderFault() + ")";
                    log.warn("SQS refused a message of {} outbox event(s) from id {}: {}", refused.size(),
                            refused.get(0).id(), reason);
                    refused.forEach(entry -> delivery.refusals.put(entry.id(), reason));
                }
            } catch (Exception e) {
                request.cancel(true);
                failed = true;
                delivery.outage("cannot reach SQS queue " + queue, e);
            }
        }
        if (failed) {
            queueUrls.remove(queue); // resolved again next time, in case the queue was re-created
        }
        return delivered;
    }

    /** One SQS message: the body and the outbox entries it carries. */
    record Message(String body, List<OutboxEntry> entries) {

        /** The trace the message continues: its first entry's of a sampled trace, or null. */
        String traceParent() {
            for (OutboxEntry entry : entries) {
                if (entry.traceParent() != null) {
                    return entry.traceParent();
                }
            }
            return null;
        }
    }

    /**
     * Packs entries of one queue into messages of at most {@code eventsPerMessage} events and
     * {@link #MAX_MESSAGE_BYTES} (a JSON array, see {@link EventMessages}; an entry alone stays a plain event), in
     * their order. An entry SQS refused before ({@code attempts > 0}) gets a message of its own.
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
            // an event SQS refused before travels alone: a bad one then fails alone, its neighbours go through
            boolean alone = entry.attempts() > 0;
            if (!entries.isEmpty()
                    && (alone || entries.size() == eventsPerMessage || bytes + size > MAX_MESSAGE_BYTES)) {
                messages.add(new Message(EventMessages.pack(bodies), List.copyOf(entries)));
                entries.clear();
                bodies.clear();
                bytes = 2;
            }
            entries.add(entry);
            bodies.add(body);
            bytes += size;
            if (alone) {
                messages.add(new Message(EventMessages.pack(bodies), List.copyOf(entries)));
                entries.clear();
                bodies.clear();
                bytes = 2;
            }
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
