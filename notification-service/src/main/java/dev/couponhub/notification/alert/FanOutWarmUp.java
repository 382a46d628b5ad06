package dev.couponhub.notification.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.stream.AlertBroadcaster;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a fan-out page's database work before the first fan-out does, and keeps nothing of it: each page is a publication
 * alert to {@code fanOutPageSize} synthetic recipients (the largest user ids, which no account reaches) written by
 * {@link AlertWriter} as a real page is (the mail queue upsert, the batched insert, the read of the created rows) in a
 * transaction that is then rolled back, with the subscriber query and the broadcast's message built but not sent. Only
 * the notifications' id sequence moves on (InnoDB does not take back an auto-increment value).
 */
@Component
public class FanOutWarmUp {

    /** The warm-up's recipients: counted down from the largest id, which no account reaches. */
    public static final long FIRST_USER = Long.MAX_VALUE;

    private final AlertTexts texts;
    private final AlertWriter writer;
    private final AlertBroadcaster broadcaster;
    private final TransactionTemplate rolledBack;
    private final ObjectMapper json;
    private final Clock clock;
    private final int pageSize;

    FanOutWarmUp(AlertTexts texts, AlertWriter writer, AlertBroadcaster broadcaster,
                 PlatformTransactionManager transactionManager, ObjectMapper json, Clock clock,
                 NotificationProperties properties) {
        this.texts = texts;
        this.writer = writer;
        this.broadcaster = broadcaster;
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
        Instant now = clock.instant();
        Integer written = rolledBack.execute(status -> {
            status.setRollbackOnly();
            writer.subscribers(0, 0, pageSize); // no store has id 0: the query's plan and mapping, no rows
            List<Alert> alerts = new ArrayList<>(pageSize);
            for (int i = 0; i < pageSize; i++) {
                alerts.add(new Alert(eventId, FIRST_USER - i, content));
            }
            List<AlertWriter.Created> rows = writer.write(alerts, now);
            broadcaster.message(List.of(new NewAlerts(content, now, rows.stream()
                    .map(row -> new Delivery(row.alert().userId(), row.notificationId())).toList())));
            return rows.size();
        });
        return written == null ? 0 : written;
    }
}
