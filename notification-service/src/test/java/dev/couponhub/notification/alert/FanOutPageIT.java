package dev.couponhub.notification.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.couponhub.notification.NotificationItSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A fan-out page is written from the subscriptions table itself ({@link AlertWriter#writePage}): exactly the
 * subscribers of its range of subscription ids get the alert and a queued mail, once however often the page is
 * written, and a subscription of the range still being written when the page starts is waited for.
 */
class FanOutPageIT extends NotificationItSupport {

    @Autowired
    AlertWriter writer;

    @Autowired
    DataSource dataSource;

    @Test
    void pageThenExactlyTheSubscribersOfItsRangeAlertedOnceWithTheirMailsQueued() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long store = newStoreId();
        List<Long> users = List.of(newUserId(), newUserId(), newUserId(), newUserId(), newUserId());
        List<Long> subscriptions = new ArrayList<>();
        users.forEach(user -> subscriptions.add(subscribe(user, store, null)));
        long otherStoresSubscriber = newUserId();
        subscribe(otherStoresSubscriber, newStoreId(), null);
        String eventId = UUID.randomUUID().toString();
        AlertContent content = content();

        // the second to the fourth subscription
        List<Delivery> created = writer.writePage(eventId, content, store, subscriptions.get(0), subscriptions.get(3),
                now);

        assertThat(created).extracting(Delivery::userId).containsExactly(users.get(1), users.get(2), users.get(3));
        assertThat(created).extracting(Delivery::notificationId).isSorted().doesNotHaveDuplicates();
        for (Delivery delivery : created) {
            assertThat(jdbc.queryForMap("SELECT user_id, event_id, type, title, body, data, created_at FROM notifications "
                    + "WHERE id = ?", delivery.notificationId())).containsEntry("user_id", delivery.userId())
                    .containsEntry("event_id", eventId).containsEntry("type", "COUPON_PUBLISHED")
                    .containsEntry("title", content.title()).containsEntry("body", content.body())
                    .containsEntry("data", "{\"couponId\":7}")
                    .containsEntry("created_at", LocalDateTime.ofInstant(now, ZoneOffset.UTC));
            assertThat(queued(delivery.userId())).isTrue();
        }
        for (long outside : List.of(users.get(0), users.get(4), otherStoresSubscriber)) {
            assertThat(alerts(outside, eventId)).isZero();
            assertThat(mailQueueRows(outside)).isZero();
        }

        // written again (a repeated message): nothing new; then the whole store: only the two left out before
        assertThat(writer.writePage(eventId, content, store, subscriptions.get(0), subscriptions.get(3), now)).isEmpty();
        assertThat(writer.writePage(eventId, content, store, 0, subscriptions.get(4), now)).extracting(Delivery::userId)
                .containsExactly(users.get(0), users.get(4));
        for (long user : users) {
            assertThat(alerts(user, eventId)).isOne();
        }
        assertThat(alerts(otherStoresSubscriber, eventId)).isZero();
    }

    @Test
    void subscriptionOfThePageStillBeingWrittenThenThePageWaitsForItAndAlertsIt() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long store = newStoreId();
        long first = newUserId();
        long late = newUserId();
        long last = newUserId();
        // ids with a gap, far above the table's: the late subscription takes an id inside the page's range
        long base = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM subscriptions", Long.class) + 1_000_000;
        subscribe(first, store, base + 10);
        subscribe(last, store, base + 30);
        String eventId = UUID.randomUUID().toString();

        try (Connection writing = dataSource.getConnection()) {
            writing.setAutoCommit(false);
            try (PreparedStatement insert = writing.prepareStatement("INSERT INTO subscriptions "
                    + "(id, user_id, store_id, store_name, created_at) VALUES (?, ?, ?, '매장', NOW(6))")) {
                insert.setLong(1, base + 20);
                insert.setLong(2, late);
                insert.setLong(3, store);
                insert.executeUpdate();
            }
            CompletableFuture<List<Delivery>> page = CompletableFuture.supplyAsync(() ->
                    writer.writePage(eventId, content(), store, base, base + 30, now));
            Thread.sleep(500); // the page has started meanwhile (without the lock it would have ended)
            writing.commit();

            assertThat(page.get(30, TimeUnit.SECONDS)).extracting(Delivery::userId).containsExactly(first, late, last);
        }
        assertThat(queued(late)).isTrue();
        assertThat(mailQueueRows(late)).isOne();
    }

    private long subscribe(long userId, long storeId, Long id) {
        if (id == null) {
            jdbc.update("INSERT INTO subscriptions (user_id, store_id, store_name, created_at) VALUES (?, ?, '매장', NOW(6))",
                    userId, storeId);
        } else {
            jdbc.update("INSERT INTO subscriptions (id, user_id, store_id, store_name, created_at) "
                    + "VALUES (?, ?, ?, '매장', NOW(6))", id, userId, storeId);
        }
        return jdbc.queryForObject("SELECT id FROM subscriptions WHERE user_id = ? AND store_id = ?", Long.class,
                userId, storeId);
    }

    private long alerts(long userId, String eventId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND event_id = ?", Long.class,
                userId, eventId);
    }

    private long mailQueueRows(long userId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM mail_recipients WHERE user_id = ?", Long.class, userId);
    }

    private static long newStoreId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
    }

    private static AlertContent content() {
        return new AlertContent(AlertType.COUPON_PUBLISHED, "새 쿠폰이 나왔어요", "본문",
                JsonNodeFactory.instance.objectNode().put("couponId", 7));
    }
}
