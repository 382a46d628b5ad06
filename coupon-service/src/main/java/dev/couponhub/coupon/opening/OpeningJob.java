package dev.couponhub.coupon.opening;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;

import dev.couponhub.coupon.config.OpeningProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.events.CouponEvents;
import dev.couponhub.kit.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Announces coupons whose claim window opens: a coupon published before its {@code issueStartsAt} gets one
 * {@code COUPON_OPENED} event once that time has come (notification-service alerts the store's followers). Safe with
 * several instances: a run locks the due coupons with {@code FOR UPDATE SKIP LOCKED} and, in the same transaction,
 * writes their events and marks them announced ({@code opened_announced_at}), so every coupon is announced exactly
 * once. A coupon ended, or whose window closed, before a run saw it is not announced: it cannot be claimed.
 */
@Component
public class OpeningJob {

    private static final Logger log = LoggerFactory.getLogger(OpeningJob.class);
    private static final int MAX_BATCHES_PER_RUN = 20;
    private static final String LOCK_DUE = "SELECT id FROM coupons WHERE opened_announced_at IS NULL "
            + "AND issue_starts_at <= ? AND issue_starts_at > created_at AND issue_ends_at > ? AND ended_at IS NULL "
            + "ORDER BY issue_starts_at LIMIT ? FOR UPDATE SKIP LOCKED";

    private final JdbcTemplate jdbc;
    private final CouponRepository coupons;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final OpeningProperties properties;
    private final Clock clock;

    OpeningJob(JdbcTemplate jdbc, CouponRepository coupons, Outbox outbox,
               PlatformTransactionManager transactionManager, OpeningProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.coupons = coupons;
        this.outbox = outbox;
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.properties = properties;
        this.clock = clock;
    }

    /** For the scheduler. */
    public void runScheduled() {
        try {
            int announced = announceDue();
            if (announced > 0) {
                log.info("Opening run: {} coupon(s) announced open", announced);
            }
        } catch (RuntimeException e) {
            log.warn("Opening run failed; retried next run: {}", e.toString());
        }
    }

    /** Announces every coupon whose window has opened and that was not announced yet; answers how many. */
    public int announceDue() {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            int[] result = tx.execute(status -> {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                LocalDateTime at = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
                List<Long> ids = jdbc.queryForList(LOCK_DUE, Long.class, at, at, properties.batchSize());
                if (ids.isEmpty()) {
                    return new int[] {0};
                }
                for (Coupon coupon : coupons.findAllWithStore(ids)) {
                    outbox.append(new CouponEvents.CouponOpened(coupon.id(), coupon.storeId(), coupon.store().name(),
                            coupon.name(), coupon.discount().type().name(), coupon.discount().value(),
                            coupon.totalQuantity(), coupon.issueStartsAt(), coupon.issueEndsAt()));
                }
                jdbc.update("UPDATE coupons SET opened_announced_at = ? WHERE id IN ("
                        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")", arguments(at, ids));
                return new int[] {ids.size()};
            });
            total += result[0];
            if (result[0] < properties.batchSize()) {
                break;
            }
        }
        return total;
    }

    private static Object[] arguments(LocalDateTime at, List<Long> ids) {
        Object[] arguments = new Object[ids.size() + 1];
        arguments[0] = at;
        for (int i = 0; i < ids.size(); i++) {
            arguments[i + 1] = ids.get(i);
        }
        return arguments;
    }
}
