package dev.couponhub.notification.alert;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.notification.inbox.SqlTime;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes one event's alerts for a group of recipients in one transaction: the notification rows (one batched
 * {@code INSERT IGNORE}, rewritten by the driver into multi-row statements) and, for the rows this call created, their
 * mail-outbox rows. The unique key (event_id, user_id) makes a repeat of the same event create nothing: neither
 * notifications nor mails.
 */
@Component
class AlertWriter {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    AlertWriter(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ObjectMapper json) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.json = json;
    }

    /** Answers the deliveries this call created (none for recipients who already had this event's alert). */
    List<Delivery> write(String eventId, AlertContent content, Instant createdAt, List<Long> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        String data;
        try {
            data = json.writeValueAsString(content.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        LocalDateTime at = SqlTime.utc(createdAt);
        return tx.execute(status -> {
            jdbc.batchUpdate("INSERT IGNORE INTO notifications (user_id, event_id, type, title, body, data, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", new BatchPreparedStatementSetter() {
                        @Override
                        public void setValues(PreparedStatement ps, int i) throws SQLException {
                            ps.setLong(1, userIds.get(i));
                            ps.setString(2, eventId);
                            ps.setString(3, content.type().name());
                            ps.setString(4, content.title());
                            ps.setString(5, content.body());
                            ps.setString(6, data);
                            ps.setObject(7, at);
                        }

                        @Override
                        public int getBatchSize() {
                            return userIds.size();
                        }
                    });
            // the rows of this event and these users that have no mail yet are the ones just created
            List<Delivery> created = named.query("SELECT n.id, n.user_id FROM notifications n "
                            + "LEFT JOIN mail_outbox m ON m.notification_id = n.id "
                            + "WHERE n.event_id = :eventId AND n.user_id IN (:userIds) AND m.id IS NULL",
                    Map.of("eventId", eventId, "userIds", userIds),
                    (rs, n) -> new Delivery(rs.getLong("user_id"), rs.getLong("id")));
            if (!created.isEmpty()) {
                jdbc.batchUpdate("INSERT IGNORE INTO mail_outbox (notification_id, user_id, status, attempts, "
                        + "next_attempt_at, created_at) VALUES (?, ?, 'PENDING', 0, ?, ?)",
                        new BatchPreparedStatementSetter() {
                            @Override
                            public void setValues(PreparedStatement ps, int i) throws SQLException {
                                ps.setLong(1, created.get(i).notificationId());
                                ps.setLong(2, created.get(i).userId());
                                ps.setObject(3, at);
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

    /** One page of a store's subscribers after the given subscription id: {@code [subscriptionId, userId]}. */
    List<long[]> subscribers(long storeId, long afterId, int limit) {
        return jdbc.query("SELECT id, user_id FROM subscriptions WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?",
                (rs, n) -> new long[] {rs.getLong("id"), rs.getLong("user_id")}, storeId, afterId, limit);
    }
}
