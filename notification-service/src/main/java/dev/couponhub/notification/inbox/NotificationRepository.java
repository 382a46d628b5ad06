package dev.couponhub.notification.inbox;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** A user's alerts (blocking JDBC: call it on the blocking scheduler). */
@Repository
public class NotificationRepository {

    private static final String COLUMNS = "id, type, title, body, data, created_at, read_at";

    private final JdbcTemplate jdbc;
    private final RowMapper<Notification> row;

    NotificationRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.row = (rs, n) -> {
            try {
                return new Notification(rs.getLong("id"), rs.getString("type"), rs.getString("title"),
                        rs.getString("body"), json.readTree(rs.getString("data")), SqlTime.instant(rs, "created_at"),
                        SqlTime.instant(rs, "read_at"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("notification " + rs.getLong("id") + " has invalid data", e);
            }
        };
    }

    /** Newest first. */
    List<Notification> page(long userId, boolean unreadOnly, long offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM notifications WHERE user_id = ?"
                + (unreadOnly ? " AND read_at IS NULL" : "") + " ORDER BY id DESC LIMIT ? OFFSET ?", row, userId, limit,
                offset);
    }

    long count(long userId, boolean unreadOnly) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM notifications WHERE user_id = ?"
                + (unreadOnly ? " AND read_at IS NULL" : ""), Long.class, userId);
        return count == null ? 0 : count;
    }

    /**
     * The newest {@code limit} of the user's notifications with an id greater than {@code afterId}, oldest first
     * (what a reconnecting stream missed).
     */
    public List<Notification> after(long userId, long afterId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM (SELECT " + COLUMNS + " FROM notifications "
                + "WHERE user_id = ? AND id > ? ORDER BY id DESC LIMIT ?) missed ORDER BY id", row, userId, afterId,
                limit);
    }

    /** Answers false when the user has no such notification. Reading it again keeps the first read time. */
    boolean markRead(long userId, long id, Instant at) {
        int changed = jdbc.update("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? "
                + "AND read_at IS NULL", SqlTime.utc(at), id, userId);
        if (changed > 0) {
            return true;
        }
        Long exists = jdbc.queryForObject("SELECT COUNT(*) FROM notifications WHERE id = ? AND user_id = ?",
                Long.class, id, userId);
        return exists != null && exists > 0;
    }

    int markAllRead(long userId, Instant at) {
        return jdbc.update("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                SqlTime.utc(at), userId);
    }
}
