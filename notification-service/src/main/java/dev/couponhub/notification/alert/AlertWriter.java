package dev.couponhub.notification.alert;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.SqlTime;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes alerts in one transaction, whatever their events and contents: all holder alerts of a message, or one page of
 * a fan-out. Three statements for the lot: one batched {@code INSERT IGNORE} of the notification rows (the
 * datasource's {@code rewriteBatchedStatements} makes the driver send it as multi-row statements, see
 * application.yml), one query for the rows this call created, and one batched insert of their mail-outbox rows (plus
 * one query for when their recipients were last mailed). The unique key (event_id, user_id) makes a repeat of the same
 * event create nothing: neither notifications nor mails.
 *
 * <p>A mail row is written due when its recipient may be mailed again: at once, or when the recipient's gather window
 * ({@code mail.gather-window} after their last mail) closes. Rows written due at once while a window was open would
 * each be updated once more by the mail relay to hold them back (issue 13: a third of the mail rows' writes).
 */
@Component
class AlertWriter {

    /** An alert this call created: its notification row's id. */
    record Created(Alert alert, long notificationId) {
    }

    private record Key(String eventId, long userId) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Duration gatherWindow;

    AlertWriter(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ObjectMapper json,
                NotificationProperties properties) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.json = json;
        this.gatherWindow = properties.mail().gatherWindow();
    }

    /**
     * Writes the alerts; answers those this call created, oldest row first (none for recipients who already had their
     * event's alert).
     */
    List<Created> write(List<Alert> alerts, Instant createdAt) {
        if (alerts.isEmpty()) {
            return List.of();
        }
        Map<Key, Alert> byKey = new LinkedHashMap<>();
        alerts.forEach(alert -> byKey.putIfAbsent(new Key(alert.eventId(), alert.userId()), alert));
        List<Alert> rows = List.copyOf(byKey.values());
        Map<AlertContent, String> data = new IdentityHashMap<>(); // a fan-out page shares one content
        rows.forEach(alert -> data.computeIfAbsent(alert.content(), this::dataOf));
        LocalDateTime at = SqlTime.utc(createdAt);
        return tx.execute(status -> {
            jdbc.batchUpdate("INSERT IGNORE INTO notifications (user_id, event_id, type, title, body, data, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", new BatchPreparedStatementSetter() {
                        @Override
                        public void setValues(PreparedStatement ps, int i) throws SQLException {
                            Alert alert = rows.get(i);
                            ps.setLong(1, alert.userId());
                            ps.setString(2, alert.eventId());
                            ps.setString(3, alert.content().type().name());
                            ps.setString(4, alert.content().title());
                            ps.setString(5, alert.content().body());
                            ps.setString(6, data.get(alert.content()));
                            ps.setObject(7, at);
                        }

                        @Override
                        public int getBatchSize() {
                            return rows.size();
                        }
                    });
            List<Created> created = createdRows(byKey);
            if (!created.isEmpty()) {
                Map<Long, LocalDateTime> dueAt = mailDueAt(created, at);
                jdbc.batchUpdate("INSERT IGNORE INTO mail_outbox (notification_id, user_id, status, attempts, "
                        + "next_attempt_at, created_at) VALUES (?, ?, 'PENDING', 0, ?, ?)",
                        new BatchPreparedStatementSetter() {
                            @Override
                            public void setValues(PreparedStatement ps, int i) throws SQLException {
                                ps.setLong(1, created.get(i).notificationId());
                                ps.setLong(2, created.get(i).alert().userId());
                                ps.setObject(3, dueAt.getOrDefault(created.get(i).alert().userId(), at));
                                ps.setObject(4, at);
                            }

                            @Override
                            public int getBatchSize() {
                                return created.size();
                            }
                        });
            }
            return created;
        });
    }

    /**
     * The rows of these alerts that have no mail yet: the ones this transaction just created (a row written before
     * got its mail row in the same transaction). With a single event (a fan-out page) the query names its users;
     * with several (a message of holder alerts, one user each) it names the events alone and the pairs are matched
     * here: IN lists on both columns would make the optimizer consider every event-user combination.
     */
    private List<Created> createdRows(Map<Key, Alert> byKey) {
        Set<String> eventIds = new LinkedHashSet<>();
        Set<Long> userIds = new LinkedHashSet<>();
        byKey.keySet().forEach(key -> {
            eventIds.add(key.eventId());
            userIds.add(key.userId());
        });
        String sql = "SELECT n.id, n.event_id, n.user_id FROM notifications n "
                + "LEFT JOIN mail_outbox m ON m.notification_id = n.id "
                + "WHERE n.event_id IN (:eventIds) AND m.id IS NULL"
                + (eventIds.size() == 1 ? " AND n.user_id IN (:userIds)" : "");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("eventIds", List.copyOf(eventIds));
        parameters.put("userIds", List.copyOf(userIds));
        List<Created> created = new ArrayList<>();
        named.query(sql, parameters, rs -> {
            Alert alert = byKey.get(new Key(rs.getString("event_id"), rs.getLong("user_id")));
            if (alert != null) {
                created.add(new Created(alert, rs.getLong("id")));
            }
        });
        created.sort(Comparator.comparingLong(Created::notificationId));
        return created;
    }

    /**
     * When each recipient of these alerts may be mailed next, where that is after {@code now}: one gather window after
     * their last mail. Recipients not in the answer may be mailed at once.
     */
    private Map<Long, LocalDateTime> mailDueAt(List<Created> created, LocalDateTime now) {
        Set<Long> userIds = new LinkedHashSet<>();
        created.forEach(row -> userIds.add(row.alert().userId()));
        Map<Long, LocalDateTime> dueAt = new HashMap<>();
        named.query("SELECT user_id, last_mailed_at FROM mail_recipients WHERE user_id IN (:userIds) "
                + "AND last_mailed_at IS NOT NULL", Map.of("userIds", List.copyOf(userIds)), rs -> {
                    LocalDateTime windowEnd = rs.getObject("last_mailed_at", LocalDateTime.class).plus(gatherWindow);
                    if (windowEnd.isAfter(now)) {
                        dueAt.put(rs.getLong("user_id"), windowEnd);
                    }
                });
        return dueAt;
    }

    private String dataOf(AlertContent content) {
        try {
            return json.writeValueAsString(content.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One page of a store's subscribers after the given subscription id: {@code [subscriptionId, userId]}. */
    List<long[]> subscribers(long storeId, long afterId, int limit) {
        return jdbc.query("SELECT id, user_id FROM subscriptions WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?",
                (rs, n) -> new long[] {rs.getLong("id"), rs.getLong("user_id")}, storeId, afterId, limit);
    }
}
