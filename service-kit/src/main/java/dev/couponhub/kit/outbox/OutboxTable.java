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
 * attempts INT, next_attempt_at DATETIME(6), and an index on (sent_at, id)
 * </pre>
 * {@code destination} exists when the outbox fans out to several queues ({@link OutboxProperties#fansOut()}). Every
 * event is one row: the outbox writes {@code destination} NULL, meaning every queue of {@code couponhub.outbox.queues};
 * a row that names a queue (written by an earlier version, one row per queue) goes to that queue only.
 */
final class OutboxTable {

    /** One event to store: one row, whatever the number of queues. */
    record NewEvent(String eventId, String type, long aggregateId, String payload) {
    }

    private final JdbcTemplate jdbc;
    private final OutboxProperties properties;
    private final String insert;
    private final String lockDue;
    private final String markFailed;
    private final String countUnsent;
    private final String deleteSentBefore;

    OutboxTable(JdbcTemplate jdbc, OutboxProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        String table = properties.table();
        // destination, where the table has one, stays NULL: every queue
        this.insert = "INSERT INTO " + table + " (event_id, type, aggregate_id, payload, occurred_at, attempts, "
                + "next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?)";
        // READ COMMITTED (the relay's isolation) keeps the scan from taking gap locks that would hold up new events
        this.lockDue = "SELECT id, event_id, " + (properties.fansOut() ? "destination, " : "")
                + "type, payload, occurred_at, attempts FROM " + table
                + " WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
        this.markFailed = "UPDATE " + table + " SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?";
        this.countUnsent = "SELECT COUNT(*) FROM " + table + " WHERE sent_at IS NULL";
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
            rows.add(new Object[] {event.eventId(), event.type(), event.aggregateId(), event.payload(), at, at});
        }
        if (rows.size() == 1) {
            jdbc.update(insert, rows.get(0));
        } else {
            jdbc.batchUpdate(insert, rows);
        }
    }

    /**
     * Locks up to {@code limit} unsent entries that are due, oldest first, skipping entries another transaction has
     * locked: concurrent relays (other instances) never get the same entry.
     */
    List<OutboxEntry> lockDue(Instant now, int limit) {
        return jdbc.query(lockDue, this::entry, utc(now), limit);
    }

    /** Marks the entries sent, in one statement (the relay's acknowledged batch). */
    void markSent(Collection<Long> ids, Instant at) {
        if (ids.isEmpty()) {
            return;
        }
        String sql = "UPDATE " + properties.table() + " SET sent_at = ?, attempts = attempts + 1 WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        Object[] args = new Object[ids.size() + 1];
        args[0] = utc(at);
        int i = 1;
        for (Long id : ids) {
            args[i++] = id;
        }
        jdbc.update(sql, args);
    }

    /** Counts a failed attempt of each entry and makes it due again at {@code nextAttempt} of it. */
    void markFailed(List<OutboxEntry> entries, Function<OutboxEntry, Instant> nextAttempt) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            rows.add(new Object[] {utc(nextAttempt.apply(entry)), entry.id()});
        }
        jdbc.batchUpdate(markFailed, rows);
    }

    /** Events not yet acknowledged by SQS. */
    long countUnsent() {
        Long count = jdbc.queryForObject(countUnsent, Long.class);
        return count == null ? 0 : count;
    }

    /** Deletes up to {@code limit} entries sent before {@code before}; never an unsent one. */
    int deleteSentBefore(Instant before, int limit) {
        return jdbc.update(deleteSentBefore, utc(before), limit);
    }

    private OutboxEntry entry(ResultSet rs, int row) throws SQLException {
        return new OutboxEntry(rs.getLong("id"), rs.getString("event_id"),
                properties.fansOut() ? rs.getString("destination") : properties.queue(), rs.getString("type"),
                rs.getString("payload"), rs.getObject("occurred_at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                rs.getInt("attempts"));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
