package dev.couponhub.notification.alert;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

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
 * Writes alerts in one transaction, whatever their events and contents: all holder alerts of a message (a page of a
 * fan-out goes through {@link #writePage}, which reads its recipients in the database). Three statements for the lot:
 * one upsert of the recipients' mail queue rows ({@code mail_recipients}: their next mail is due now, or when their
 * gather window closes, unless a mail is already due), one batched
 * {@code INSERT IGNORE} of the notification rows (the datasource's {@code rewriteBatchedStatements} makes the driver
 * send it as multi-row statements, see application.yml), and one query for the rows this call created. The unique key
 * (event_id, user_id) makes a repeat of the same event create nothing; its recipients' mail may come due, and the
 * sender then finds nothing new to mail.
 *
 * <p>The recipients' rows are locked first, in user id order (so writers about the same recipients take turns and
 * never deadlock), and the alerts inserted after: a sender holding a recipient's row therefore sees every alert of that
 * recipient that has an id below the ones it reads (see {@code V3__mail_queue_per_recipient.sql}). One mail queue row
 * per recipient, not one mail row per alert (issue 13: those were the largest share of the database's writes per
 * claim).
 */
@Component
class AlertWriter {

    /** An alert this call created: its notification row's id. */
    record Created(Alert alert, long notificationId) {
    }

    private record Key(String eventId, long userId) {
    }

    /** Write tokens: random, so that two writes (of any instance) never share one. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final long gatherWindowMicros;

    AlertWriter(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ObjectMapper json,
                NotificationProperties properties) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.json = json;
        this.gatherWindowMicros = properties.mail().gatherWindow().toNanos() / 1000;
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
        Map<AlertContent, String> data = new IdentityHashMap<>(); // alerts of one event share one content
        rows.forEach(alert -> data.computeIfAbsent(alert.content(), this::dataOf));
        LocalDateTime at = SqlTime.utc(createdAt);
        long token = RANDOM.nextLong();
        return tx.execute(status -> {
            queueMails(new TreeSet<>(byKey.values().stream().map(Alert::userId).toList()), at);
            jdbc.batchUpdate("INSERT IGNORE INTO notifications "
                    + "(user_id, event_id, type, title, body, data, created_at, write_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new BatchPreparedStatementSetter() {
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
                            ps.setLong(8, token);
                        }

                        @Override
                        public int getBatchSize() {
                            return rows.size();
                        }
                    });
            return createdRows(byKey, token);
        });
    }

    /**
     * Creates or locks the recipients' mail queue rows, in user id order, with one statement; a recipient without a
     * mail due gets one: now, or when the gather window since their last mail closes. A recipient with a mail due (or being
     * sent) keeps it: the new alerts go with that mail.
     */
    private void queueMails(SortedSet<Long> userIds, LocalDateTime now) {
        List<Object> parameters = new ArrayList<>(userIds.size() * 2 + 3);
        userIds.forEach(userId -> {
            parameters.add(userId);
            parameters.add(now);
        });
        parameters.add(now);
        parameters.add(gatherWindowMicros);
        parameters.add(now);
        jdbc.update("INSERT INTO mail_recipients (user_id, mail_due_at) VALUES "
                + String.join(", ", Collections.nCopies(userIds.size(), "(?, ?)"))
                + " ON DUPLICATE KEY UPDATE mail_due_at = COALESCE(mail_due_at, "
                + "GREATEST(?, COALESCE(DATE_ADD(last_mailed_at, INTERVAL ? MICROSECOND), ?)))", parameters.toArray());
    }

    /**
     * The rows of these alerts that this write created: those carrying its token. With a single event
     * the query names its users; with several (a message of holder alerts, one user each) it names the events alone
     * and the pairs are matched here: IN lists on both columns would make the optimizer consider every event-user
     * combination.
     */
    private List<Created> createdRows(Map<Key, Alert> byKey, long token) {
        Set<String> eventIds = new LinkedHashSet<>();
        Set<Long> userIds = new LinkedHashSet<>();
        byKey.keySet().forEach(key -> {
            eventIds.add(key.eventId());
            userIds.add(key.userId());
        });
        String sql = "SELECT id, event_id, user_id FROM notifications WHERE event_id IN (:eventIds) "
                + "AND write_token = :token" + (eventIds.size() == 1 ? " AND user_id IN (:userIds)" : "");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("eventIds", List.copyOf(eventIds));
        parameters.put("userIds", List.copyOf(userIds));
        parameters.put("token", token);
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

    private String dataOf(AlertContent content) {
        try {
            return json.writeValueAsString(content.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids of one page of a store's subscriptions after the given id, in id order. */
    List<Long> subscriptionIds(long storeId, long afterId, int limit) {
        return jdbc.queryForList("SELECT id FROM subscriptions WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?",
                Long.class, storeId, afterId, limit);
    }

    /**
     * Writes one page of a fan-out in one transaction: the alert of {@code eventId} to the subscribers of the store
     * whose subscription ids are in {@code (afterId, lastId]}; answers the alerts this call created, oldest row first.
     * The recipients are never sent to the database: each statement reads them from {@code subscriptions} itself
     * ({@code INSERT ... SELECT}), so a page is three short statements with the content sent once, where a list of a
     * thousand recipients made statements of a thousand rows (every alert's title, body and data escaped by the
     * driver and parsed again by the database).
     *
     * <p>The first statement (the mail queue rows, locked in user id order as {@link #write} does) reads the
     * subscriptions with a shared lock: a subscription of the range still being written is waited for, and none of
     * the range can go before the transaction ends, so the notification rows inserted next go to exactly the
     * recipients whose mail rows it holds.
     */
    List<Delivery> writePage(String eventId, AlertContent content, long storeId, long afterId, long lastId,
                             Instant createdAt) {
        String data = dataOf(content);
        LocalDateTime at = SqlTime.utc(createdAt);
        long token = RANDOM.nextLong();
        return tx.execute(status -> {
            jdbc.update("INSERT INTO mail_recipients (user_id, mail_due_at) "
                    + "SELECT user_id, ? FROM subscriptions WHERE store_id = ? AND id > ? AND id <= ? "
                    + "ORDER BY user_id LOCK IN SHARE MODE "
                    + "ON DUPLICATE KEY UPDATE mail_due_at = COALESCE(mail_due_at, "
                    + "GREATEST(?, COALESCE(DATE_ADD(last_mailed_at, INTERVAL ? MICROSECOND), ?)))",
                    at, storeId, afterId, lastId, at, gatherWindowMicros, at);
            jdbc.update("INSERT IGNORE INTO notifications "
                    + "(user_id, event_id, type, title, body, data, created_at, write_token) "
                    + "SELECT user_id, ?, ?, ?, ?, ?, ?, ? FROM subscriptions WHERE store_id = ? AND id > ? AND id <= ? "
                    + "ORDER BY id", eventId, content.type().name(), content.title(), content.body(), data, at, token,
                    storeId, afterId, lastId);
            // the page's subscriptions first, then each one's row by the unique key: read by the event alone, the
            // rows of the pages before would be read too
            return jdbc.query("SELECT STRAIGHT_JOIN n.user_id, n.id FROM subscriptions s "
                    + "JOIN notifications n ON n.event_id = ? AND n.user_id = s.user_id "
                    + "WHERE s.store_id = ? AND s.id > ? AND s.id <= ? AND n.write_token = ? ORDER BY n.id",
                    (rs, n) -> new Delivery(rs.getLong(1), rs.getLong(2)), eventId, storeId, afterId, lastId, token);
        });
    }
}
