package dev.couponhub.kit.outbox;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox table of a service and its relay to SQS. A service sets exactly one of {@code queue} and {@code queues}
 * (setting one of them is what switches the outbox on); which one also says how its table is laid out.
 *
 * @param table         the outbox table in the service's own schema (created by the service's migrations)
 * @param queue         the one SQS queue every event goes to (a queue name, resolved to its URL, or a full queue URL):
 *                      one row per event, and the table has no {@code destination} column
 * @param queues        the SQS queues every event goes to, each a name or a URL: one row per event too, in a table
 *                      with a {@code destination} column (NULL for every queue; a row naming one queue, as earlier
 *                      versions wrote one row per queue, goes to that queue only)
 * @param retention     sent events are deleted this long after they were sent
 * @param purgeInterval how often sent events past their retention are deleted
 * @param relay         how unsent events are sent
 */
@ConfigurationProperties("couponhub.outbox")
public record OutboxProperties(
        @DefaultValue("outbox_events") String table,
        String queue,
        List<String> queues,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("1h") Duration purgeInterval,
        @DefaultValue Relay relay) {

    /** A table name, optionally qualified by its schema: nothing that could change the statements it goes into. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    public OutboxProperties {
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("couponhub.outbox.table must be a plain table name, not '" + table + "'");
        }
        if (queue == null && queues == null) {
            throw new IllegalArgumentException("couponhub.outbox.queue (one queue) or couponhub.outbox.queues (in a "
                    + "table with a destination column) must be set");
        }
        if (queue != null && queues != null) {
            throw new IllegalArgumentException("couponhub.outbox.queue and couponhub.outbox.queues are both set; "
                    + "set one of them");
        }
        if (queue != null && queue.isBlank()) {
            throw new IllegalArgumentException("couponhub.outbox.queue must not be blank");
        }
        if (queues != null) {
            if (queues.isEmpty() || queues.stream().anyMatch(q -> q == null || q.isBlank())) {
                throw new IllegalArgumentException("couponhub.outbox.queues must name at least one queue, none blank");
            }
            if (new HashSet<>(queues).size() != queues.size()) {
                throw new IllegalArgumentException("couponhub.outbox.queues names a queue twice: " + queues);
            }
            queues = List.copyOf(queues);
        }
        if (relay == null) {
            throw new IllegalArgumentException("couponhub.outbox.relay must be set");
        }
        requirePositive(retention, "retention");
        requirePositive(purgeInterval, "purge-interval");
    }

    /** Whether events go to several queues, from a table with a {@code destination} column. */
    public boolean fansOut() {
        return queues != null;
    }

    /** Every queue an event goes to. */
    public List<String> destinations() {
        return fansOut() ? queues : List.of(queue);
    }

    /**
     * @param enabled          whether this instance runs the relay and the purge on a schedule (several instances may:
     *                         each event is sent by one of them)
     * @param interval         pause between two relay runs
     * @param batchSize        most events claimed and sent by one run (a run that finds a full batch goes on at once)
     * @param sendTimeout      longest wait for SQS in one run; an event not acknowledged by then waits for the relay's
     *                         next try, first in line
     * @param initialBackoff   wait before the next try of an event SQS refused on its own (an entry of a batch
     *                         result's errors); doubles on each refusal
     * @param maxBackoff       longest wait between two tries of an event SQS refused
     * @param eventsPerMessage most events one SQS message carries (1..1000): above 1, the events of a run that go to
     *                         the same queue travel packed in JSON arrays (up to 64 KiB a message), which saves the
     *                         broker and the consumers a message per event; the consumers must read both forms
     *                         ({@code dev.couponhub.kit.messaging.EventMessages}); an event SQS refused once travels
     *                         alone from then on, so that one bad event does not hold back those packed with it
     * @param maxAttempts      tries (2..1000) of an event SQS refuses each time, after which it is parked: set aside
     *                         in its row ({@code parked_at}), never sent or purged until an operator re-queues it
     * @param lease            how long a run's claim keeps its events from other runs and instances while it sends
     *                         them (more than {@code sendTimeout}); the events of an instance that died while sending
     *                         are sent by another one after this
     * @param outageBackoff    first pause of the whole relay when SQS cannot be reached or fails a request; doubles
     *                         while it keeps failing, and the events wait, in order, without a back-off of their own
     * @param maxOutageBackoff longest pause of the relay during an SQS outage (how late it may notice that SQS is
     *                         back)
     */
    public record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("200ms") Duration interval,
            @DefaultValue("100") int batchSize,
            @DefaultValue("10s") Duration sendTimeout,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("5m") Duration maxBackoff,
            @DefaultValue("1") int eventsPerMessage,
            @DefaultValue("10") int maxAttempts,
            @DefaultValue("30s") Duration lease,
            @DefaultValue("1s") Duration outageBackoff,
            @DefaultValue("30s") Duration maxOutageBackoff) {

        public Relay {
            requirePositive(interval, "relay.interval");
            requirePositive(sendTimeout, "relay.send-timeout");
            requirePositive(initialBackoff, "relay.initial-backoff");
            requirePositive(maxBackoff, "relay.max-backoff");
            requirePositive(lease, "relay.lease");
            requirePositive(outageBackoff, "relay.outage-backoff");
            requirePositive(maxOutageBackoff, "relay.max-outage-backoff");
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("couponhub.outbox.relay.batch-size must be 1..1000");
            }
            if (eventsPerMessage < 1 || eventsPerMessage > 1000) {
                throw new IllegalArgumentException("couponhub.outbox.relay.events-per-message must be 1..1000");
            }
            if (maxAttempts < 2 || maxAttempts > 1000) {
                // 2 at least: a packed message's refusal counts against each of its events, which are then tried alone
                throw new IllegalArgumentException("couponhub.outbox.relay.max-attempts must be 2..1000");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("couponhub.outbox.relay.max-backoff must not be below initial-backoff");
            }
            if (maxOutageBackoff.compareTo(outageBackoff) < 0) {
                throw new IllegalArgumentException(
                        "couponhub.outbox.relay.max-outage-backoff must not be below outage-backoff");
            }
            if (lease.compareTo(sendTimeout) <= 0) {
                throw new IllegalArgumentException("couponhub.outbox.relay.lease must be longer than send-timeout ("
                        + sendTimeout + "), or another run could send events whose send is still in flight");
            }
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("couponhub.outbox." + name + " must be positive");
        }
    }
}
