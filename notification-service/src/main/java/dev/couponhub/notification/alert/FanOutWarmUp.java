package dev.couponhub.notification.alert;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.SqlTime;
import dev.couponhub.notification.stream.AlertBroadcaster;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a fan-out page's database work before the first fan-out does, and keeps nothing of it: each page is a publication
 * alert to {@code fanOutPageSize} synthetic subscribers (the largest user ids, which no account reaches, of a store id
 * below zero, which no store has, drawn at random so that two instances warming up at once never meet on a row)
 * written by {@link AlertWriter} as a real page is (the page's subscription ids, the mail queue upsert, the insert, the
 * read of the created rows) in a transaction that is then rolled back, with the broadcast's message built but not
 * sent. Only the id sequences move on (InnoDB does not take back an auto-increment value).
 */
@Component
public class FanOutWarmUp {

    /** The warm-up's recipients: counted down from the largest id, which no account reaches. */
    public static final long FIRST_USER = Long.MAX_VALUE;

    private final AlertTexts texts;
    private final AlertWriter writer;
    private final AlertBroadcaster broadcaster;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate rolledBack;
    private final ObjectMapper json;
    private final Clock clock;
    private final int pageSize;

    FanOutWarmUp(AlertTexts texts, AlertWriter writer, AlertBroadcaster broadcaster, JdbcTemplate jdbc,
                 PlatformTransactionManager transactionManager, ObjectMapper json, Clock clock,
                 NotificationProperties properties) {
        this.texts = texts;
        this.writer = writer;
        this.broadcaster = broadcaster;
        this.jdbc = jdbc;
        this.rolledBack = new TransactionTemplate(transactionManager);
        // as AlertWriter's own: no gap locks that a real recipient's first mail queue row would wait for
        this.rolledBack.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.json = json;
        this.clock = clock;
        this.pageSize = properties.fanOutPageSize();
    }

    /** Writes and rolls back {@code pages} pages; answers the alerts written (and rolled back) in all. */
    public int run(int pages) {
        int written = 0;
        for (int page = 0; page < pages; page++) {
            written += writePage();
        }
        return written;
    }

    /** The warm-up's alert: a publication of a made-up coupon, composed as a real one is. */
    public AlertContent content() {
        ObjectNode payload = json.createObjectNode().put("couponId", 1L).put("storeId", 1L)
                .put("storeName", "연습 매장").put("couponName", "연습 쿠폰").put("discountType", "FIXED")
                .put("discountValue", 1500).put("totalQuantity", 100)
                .put("issueStartsAt", "2026-01-01T00:00:00Z").put("issueEndsAt", "2026-01-31T15:00:00Z");
        return texts.compose(AlertType.COUPON_PUBLISHED, payload);
    }

    private int writePage() {
        AlertContent content = content();
        String eventId = "warm-up-" + UUID.randomUUID();
        long storeId = -1L - ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        Instant now = clock.instant();
        LocalDateTime at = SqlTime.utc(now);
        Integer written = rolledBack.execute(status -> {
            status.setRollbackOnly();
            jdbc.batchUpdate("INSERT INTO subscriptions (user_id, store_id, store_name, created_at) VALUES (?, ?, ?, ?)",
                    new BatchPreparedStatementSetter() {
                        @Override
                        public void setValues(PreparedStatement ps, int i) throws SQLException {
                            ps.setLong(1, FIRST_USER - i);
                            ps.setLong(2, storeId);
                            ps.setString(3, "연습 매장");
                            ps.setObject(4, at);
                        }

                        @Override
                        public int getBatchSize() {
                            return pageSize;
                        }
                    });
            List<Long> page = writer.subscriptionIds(storeId, 0, pageSize);
            if (page.isEmpty()) {
                return 0;
            }
            List<Delivery> rows = writer.writePage(eventId, content, storeId, 0, page.get(page.size() - 1), now);
            broadcaster.message(List.of(new NewAlerts(content, now, rows)));
            return rows.size();
        });
        return written == null ? 0 : written;
    }
}
