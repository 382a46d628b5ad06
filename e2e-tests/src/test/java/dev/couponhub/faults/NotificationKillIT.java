package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * notification-service killed ({@code kill -9}) while it fans out a publication to a store's 2,000 subscribers, started
 * again as the launcher started it: afterwards each subscriber holds exactly one alert of that coupon (the message
 * comes back once its visibility time-out passes, and the alerts already written are not written again).
 *
 * <p>The subscribers are rows of notification-service's {@code subscriptions} table, which is what its fan-out reads,
 * written directly (2,000 sign-ups through the API would take minutes of password hashing); their user ids are beyond
 * any real account, so their alert mails are set aside for want of an account, which the fan-out does not wait for.
 * The fan-out writes 1,000 subscribers a transaction: the kill is sent as soon as the first page is seen committed and
 * before the second one is. Should the fan-out be over before the kill can be sent, another coupon is published.
 */
@Order(Order.DEFAULT + 4) // after the end-to-end classes (Order.DEFAULT), before SuiteShutdownIT
@ExtendWith(FaultSuite.class)
class NotificationKillIT {

    private static final int SUBSCRIBERS = 2000;
    private static final long FIRST_USER = 900_000_000L;
    private static final int PUBLICATIONS = 4;

    @Test
    void killedWhileFanningOutThenEverySubscriberHoldsExactlyOneAlert() throws Exception {
        Shoppers shoppers = Shoppers.get();
        long storeId = Shoppers.send("POST", "/api/v1/stores", shoppers.ownerToken, "{\"name\":\"Fault suite "
                + "followed store\",\"category\":\"CAFE\",\"address\":\"Seoul, Teheran-ro 3\"}", 201).path("id").asLong();
        try (Connection db = IssuedRows.connect("notification")) {
            subscribe(db, storeId);
            Map<Long, Integer> alertsAtKill = new LinkedHashMap<>();
            Long killedCoupon = null;
            Duration down = null;
            for (int publication = 1; publication <= PUBLICATIONS && killedCoupon == null; publication++) {
                long couponId = shoppers.publish(storeId, "Fault suite: fan-out " + publication, 100);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                int alerts = 0;
                while (alerts == 0 && System.nanoTime() < deadline) {
                    alerts = alertsOf(db, couponId);
                    if (alerts == 0) {
                        Thread.sleep(5);
                    }
                }
                alertsAtKill.put(couponId, alerts);
                if (alerts > 0 && alerts < SUBSCRIBERS) {
                    down = SuiteProcesses.killAndRestart("notification-service", 8084, Duration.ofMinutes(3));
                    killedCoupon = couponId;
                }
            }
            assertThat(killedCoupon).as("a kill in the middle of a fan-out (alerts seen at each try: %s)",
                    alertsAtKill).isNotNull();
            long restarted = System.nanoTime();
            long deadline = restarted + Duration.ofSeconds(120).toNanos();
            int alerts = alertsOf(db, killedCoupon);
            while (alerts < SUBSCRIBERS && System.nanoTime() < deadline) {
                Thread.sleep(500);
                alerts = alertsOf(db, killedCoupon);
            }
            double completedAfter = (System.nanoTime() - restarted) / 1e9;
            Thread.sleep(2000); // nothing more arrives late
            int[] perSubscriber = perSubscriber(db, storeId, killedCoupon);
            System.out.printf("FAULT notification-kill: alerts of coupon %d at the kill %d of %d; down %.1f s (kill to "
                            + "healthy); fan-out complete %.1f s after restart; subscribers with exactly one alert "
                            + "%d, with none %d, with more %d%n",
                    killedCoupon, alertsAtKill.get(killedCoupon), SUBSCRIBERS, down.toMillis() / 1000.0,
                    completedAfter, perSubscriber[1], perSubscriber[0], perSubscriber[2]);
            assertThat(perSubscriber[1]).as("subscribers holding exactly one alert of coupon %d (none: %d, more: %d)",
                    killedCoupon, perSubscriber[0], perSubscriber[2]).isEqualTo(SUBSCRIBERS);
        }
    }

    private static void subscribe(Connection db, long storeId) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO subscriptions (user_id, store_id, store_name, "
                + "created_at) VALUES (?, ?, 'Fault suite followed store', ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int i = 0; i < SUBSCRIBERS; i++) {
                insert.setLong(1, FIRST_USER + i);
                insert.setLong(2, storeId);
                insert.setTimestamp(3, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Alerts of the coupon's publication held by the store's subscribers. */
    private static int alertsOf(Connection db, long couponId) throws Exception {
        try (PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM notifications WHERE user_id >= ? "
                + "AND type = 'COUPON_PUBLISHED' AND JSON_VALUE(data, '$.couponId') = ?")) {
            query.setLong(1, FIRST_USER);
            query.setString(2, Long.toString(couponId));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Subscribers of the store with no alert of the coupon, exactly one, and more than one. */
    private static int[] perSubscriber(Connection db, long storeId, long couponId) throws Exception {
        int[] counts = new int[3];
        try (PreparedStatement query = db.prepareStatement("SELECT s.user_id, COUNT(n.id) FROM subscriptions s "
                + "LEFT JOIN notifications n ON n.user_id = s.user_id AND n.type = 'COUPON_PUBLISHED' "
                + "AND JSON_VALUE(n.data, '$.couponId') = ? WHERE s.store_id = ? GROUP BY s.user_id")) {
            query.setString(1, Long.toString(couponId));
            query.setLong(2, storeId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts[Math.min(2, rows.getInt(2))]++;
                }
            }
        }
        return counts;
    }
}
