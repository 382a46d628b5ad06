package dev.couponhub.kit.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements on a service's outbox table, with plain JDBC: they run in whatever transaction the caller's
 * transaction manager opened on the same {@code DataSource} (a JPA transaction too). Times are stored as UTC in
 * {@code DATETIME(6)} columns.
 *
 * <p>The table, created by the service's own migration:
 * <pre>
 * id BIGINT AUTO_INCREMENT PRIMARY KEY, event_id CHAR(36), [destination VARCHAR(200) NULL,] type VARCHAR(50),
 * aggregate_id BIGINT, payload LONGTEXT (JSON), occurred_at DATETIME(6), sent_at DATETIME(6) NULL,
 * attempts INT, next_attempt_at DATETIME(6), parked_at DATETIME(6) NULL, and an index on (sent_at, id)
 * </pre>
 * {@code destination} exists when the outbox fans out to several queues ({@link OutboxProperties#fansOut()}). Every
 * event is one row: the outbox writes {@code destination} NULL, meaning every queue of {@code couponhub.outbox.queues};
 * a row that names a queue (written by an earlier version, one row per queue) goes to that queue only.
 *
 * <p>A row is unsent while {@code sent_at} is NULL. It is due when {@code next_attempt_at} has passed: a run claims it
 * by moving {@code next_attempt_at} past its lease, and gives it back (due at once) when SQS could not be reached.
 * {@code attempts} counts the tries SQS answered: refusals of the event, and the send it acknowledged. A row with
 * {@code parked_at} set was refused too often: it is neither sent nor purged until an operator sets
 * {@code parked_at} back to NULL. {@code trace_parent} (VARCHAR(55), nullable) holds the sampled trace an event
 * continues.
 */
final class OutboxTable {

    /**
     * One event to store: one row, whatever the number of queues; {@code traceParent} is the trace it continues
     * (a W3C {@code traceparent}), or null.
     */
    record NewEvent(String eventId, String type, long aggregateId, String payload, String traceParent) {
    }

    /**
     * The unsent rows.
     *
     * @param pending rows still to be sent (not parked)
     * @param parked  rows set aside, waiting for an operator
     */
    record Backlog(long pending, long parked) {
    }

    private final JdbcTemplate jdbc;
    private final OutboxProperties properties;
    private final String table;
    private final String insert;
    private final String selectDue;
    private final String markRefused;
    private final String countUnsent;
    private final String deleteSentBefore;

    OutboxTable(JdbcTemplate jdbc, OutboxProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.table = properties.table();
        // destination, where the table has one, stays NULL: every queue
        this.insert = "INSERT INTO " + table + " (event_id, type, aggregate_id, payload, occurred_at, attempts, "
                + "next_attempt_at, trace_parent) VALUES (?, ?, ?, ?, ?, 0, ?, ?)";
        // READ COMMITTED (the relay's isolation) keeps the scan from taking gap locks that would hold up new events;
        // the locks last only as long as the claim's transaction
        this.selectDue = "SELECT id, event_id, " + (properties.fansOut() ? "destination, " : "")
                + "type, payload, occurred_at, attempts, trace_parent FROM " + table
                + " WHERE sent_at IS NULL AND parked_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ? "
                + "FOR UPDATE SKIP LOCKED";
        this.markRefused = "UPDATE " + table + " SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?";
        this.countUnsent = "SELECT COUNT(*) AS unsent, COUNT(parked_at) AS parked FROM " + table
                + " WHERE sent_at IS NULL";
        this.deleteSentBefore = "DELETE FROM " + table + " WHERE sent_at < ? ORDER BY sent_at, id LIMIT ?";
    }

    /**
     * Stores the events in one JDBC batch (with {@code rewriteBatchedStatements} one multi-row insert), in their
     * order, one row each.
     */
    void insert(List<NewEvent> events, Instant occurredAt) {
        LocalDateTime at = utc(occurredAt);
        List<Object[]> rows = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            rows.add(new Object[] {event.eventId(), event.type(), event.aggregateId(), event.payload(), at, at,
                    event.traceParent()});
        }
        if (rows.size() == 1) {
            jdbc.update(insert, rows.get(0));
        } else {
            jdbc.batchUpdate(insert, rows);
        }
    }

    /**
     * Claims up to {@code limit} unsent, unparked entries that are due at {@code now}, oldest first: locks them,
     * skipping entries another transaction has locked, and leases them until {@code leasedUntil} (one statement for
     * all), so that once the caller's transaction commits no other run takes them before the lease is over. To be
     * called in a short transaction of its own: the locks go with its commit, the lease stays.
     */
    List<OutboxEntry> claimDue(Instant now, Instant leasedUntil, int limit) {
        List<OutboxEntry> due = jdbc.query(selectDue, this::entry, utc(now), limit);
        if (!due.isEmpty()) {
            updateIn("next_attempt_at = ?", List.of(utc(leasedUntil)), ids(due), "");
        }
        return due;
    }

    /** Marks the entries sent, in one statement (the relay's acknowledged batch). */
    void markSent(Collection<Long> ids, Instant at) {
        updateIn("sent_at = ?, attempts = attempts + 1", List.of(utc(at)), ids, "");
    }

    /**
     * Gives back entries the relay claimed but could not send (SQS unreachable): due again at {@code at}, their
     * attempts untouched, in one statement. Only rows still under the caller's lease: a row whose lease ran out and
     * which another run claimed since keeps that run's lease.
     */
    void release(Collection<Long> ids, Instant leasedUntil, Instant at) {
        updateIn("next_attempt_at = ?", List.of(utc(at)), ids, " AND next_attempt_at = ?", utc(leasedUntil));
    }

    /** Counts a refusal of each entry and makes it due again at {@code nextAttempt} of it. */
    void markRefused(List<OutboxEntry> entries, Function<OutboxEntry, Instant> nextAttempt) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            rows.add(new Object[] {utc(nextAttempt.apply(entry)), entry.id()});
        }
        if (rows.size() == 1) {
            jdbc.update(markRefused, rows.get(0));
        } else {
            jdbc.batchUpdate(markRefused, rows);
        }
    }

    /** Counts the last refusal of each entry and parks it: never claimed or purged again while parked. */
    void park(Collection<Long> ids, Instant at) {
        updateIn("parked_at = ?, attempts = attempts + 1", List.of(utc(at)), ids, "");
    }

    /** The unsent events: those still to be sent, and those parked. */
    Backlog countUnsent() {
        return jdbc.queryForObject(countUnsent,
                (rs, row) -> new Backlog(rs.getLong("unsent") - rs.getLong("parked"), rs.getLong("parked")));
    }

    /** Deletes up to {@code limit} entries sent before {@code before}; never an unsent or a parked one. */
    int deleteSentBefore(Instant before, int limit) {
        return jdbc.update(deleteSentBefore, utc(before), limit);
    }

    /**
     * {@code UPDATE table SET <set> WHERE id IN (<ids>)<and>}: one statement for all the ids. {@code set} takes the
     * arguments {@code setArguments}, {@code and} (empty, or {@code " AND ..."}) the {@code andArguments}.
     */
    private void updateIn(String set, List<Object> setArguments, Collection<Long> ids, String and,
                          Object... andArguments) {
        if (ids.isEmpty()) {
            return;
        }
        String sql = "UPDATE " + table + " SET " + set + " WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")" + and;
        List<Object> args = new ArrayList<>(setArguments.size() + ids.size() + andArguments.length);
        args.addAll(setArguments);
        args.addAll(ids);
        args.addAll(List.of(andArguments));
        jdbc.update(sql, args.toArray());
    }

    private static List<Long> ids(List<OutboxEntry> entries) {
        List<Long> ids = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            ids.add(entry.id());
        }
        return ids;
    }

    private OutboxEntry entry(ResultSet rs, int row) throws SQLException {
        return new OutboxEntry(rs.getLong("id"), rs.getString("event_id"),
                properties.fansOut() ? rs.getString("destination") : properties.queue(), rs.getString("type"),
                rs.getString("payload"), rs.getObject("occurred_at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                rs.getInt("attempts"), rs.getString("trace_parent"));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
