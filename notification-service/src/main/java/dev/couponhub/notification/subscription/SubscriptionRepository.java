package dev.couponhub.notification.subscription;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.couponhub.notification.inbox.SqlTime;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
class SubscriptionRepository {

    private static final RowMapper<Subscription> ROW = (rs, n) -> new Subscription(rs.getLong("id"),
            rs.getLong("user_id"), rs.getLong("store_id"), rs.getString("store_name"),
            SqlTime.instant(rs, "created_at"));

    private final JdbcTemplate jdbc;

    SubscriptionRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Subscription> find(long userId, long storeId) {
        return jdbc.query("SELECT id, user_id, store_id, store_name, created_at FROM subscriptions "
                + "WHERE user_id = ? AND store_id = ?", ROW, userId, storeId).stream().findFirst();
    }

    /** Inserts unless the user already follows the store; answers whether a row was created. */
    boolean insert(long userId, long storeId, String storeName, Instant createdAt) {
        return jdbc.update("INSERT IGNORE INTO subscriptions (user_id, store_id, store_name, created_at) "
                + "VALUES (?, ?, ?, ?)", userId, storeId, storeName, SqlTime.utc(createdAt)) == 1;
    }

    /** The user's subscriptions, newest first. */
    List<Subscription> ofUser(long userId) {
        return jdbc.query("SELECT id, user_id, store_id, store_name, created_at FROM subscriptions "
                + "WHERE user_id = ? ORDER BY created_at DESC, id DESC", ROW, userId);
    }

    void rename(long storeId, String storeName) {
        jdbc.update("UPDATE subscriptions SET store_name = ? WHERE store_id = ? AND store_name <> ?", storeName,
                storeId, storeName);
    }

    void delete(long userId, long storeId) {
        jdbc.update("DELETE FROM subscriptions WHERE user_id = ? AND store_id = ?", userId, storeId);
    }
}
