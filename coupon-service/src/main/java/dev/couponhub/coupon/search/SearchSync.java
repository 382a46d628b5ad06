package dev.couponhub.coupon.search;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Asks for coupons' search documents to be written again: one row per coupon in {@code search_sync}, upserted in the
 * caller's transaction, so the request commits or rolls back with the change. Never talks to Elasticsearch: a change
 * never waits for it nor fails because of it. A repeated request moves {@code requested_at} forward (by at least a
 * microsecond) so that an indexer run that read the older value does not delete the newer request.
 */
@Component
public class SearchSync {

    private static final String UPSERT_ON_DUPLICATE = " ON DUPLICATE KEY UPDATE "
            + "requested_at = GREATEST(VALUES(requested_at), requested_at + INTERVAL 1 MICROSECOND), "
            + "attempts = 0, next_attempt_at = VALUES(next_attempt_at)";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    SearchSync(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The coupon's document is to be written again. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void couponChanged(long couponId) {
        LocalDateTime now = now();
        jdbc.update("INSERT INTO search_sync (coupon_id, requested_at, attempts, next_attempt_at) VALUES (?, ?, 0, ?)"
                + UPSERT_ON_DUPLICATE, couponId, now, now);
    }

    /** The documents of every coupon of the store are to be written again (its name or category changed). */
    @Transactional(propagation = Propagation.MANDATORY)
    public int storeChanged(long storeId) {
        LocalDateTime now = now();
        return jdbc.update("INSERT INTO search_sync (coupon_id, requested_at, attempts, next_attempt_at) "
                + "SELECT id, ?, 0, ? FROM coupons WHERE store_id = ?" + UPSERT_ON_DUPLICATE, now, now, storeId);
    }

    /** Every coupon's document is to be written again (a full reindex); answers how many coupons there are. */
    @Transactional
    public long everything() {
        LocalDateTime now = now();
        jdbc.update("INSERT INTO search_sync (coupon_id, requested_at, attempts, next_attempt_at) "
                + "SELECT id, ?, 0, ? FROM coupons" + UPSERT_ON_DUPLICATE, now, now);
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM coupons", Long.class);
        return count == null ? 0 : count;
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
