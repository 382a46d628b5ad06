package dev.couponhub.coupon.expiry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;

import dev.couponhub.coupon.config.ExpiryProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.events.CouponEvents;
import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.kit.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expires issued coupons and sends the expiring notice, safely with several instances: each batch locks its rows
 * with {@code FOR UPDATE SKIP LOCKED} and changes them with the event in one transaction, so every row is handled
 * (and every event written) exactly once.
 */
@Component
public class ExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(ExpiryJob.class);
    private static final int MAX_BATCHES_PER_RUN = 50;

    private final ExpiryRepository repository;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final ExpiryProperties properties;
    private final Clock clock;

    ExpiryJob(ExpiryRepository repository, Outbox outbox, PlatformTransactionManager transactionManager,
              ExpiryProperties properties, Clock clock) {
        this.repository = repository;
        this.outbox = outbox;
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.properties = properties;
        this.clock = clock;
    }

    /** For the scheduler. */
    public void runScheduled() {
        try {
            int expired = expireDue();
            int notified = notifyExpiring();
            if (expired + notified > 0) {
                log.info("Expiry run: {} issued coupons expired, {} expiring notices", expired, notified);
            }
        } catch (RuntimeException e) {
            log.warn("Expiry run failed; retried next run: {}", e.toString());
        }
    }

    /** Marks every unused coupon past its expiry EXPIRED, each with a COUPON_EXPIRED event. */
    public int expireDue() {
        return inBatches(now -> repository.lockExpired(now, properties.batchSize()), (unit, now) -> {
            if (!unit.expire(now)) {
                return false;
            }
            Coupon coupon = unit.coupon();
            outbox.append(new CouponEvents.CouponExpired(unit.id(), coupon.id(), coupon.storeId(),
                    coupon.store().name(), coupon.name(), unit.userId(), unit.expiresAt()));
            return true;
        });
    }

    /** Sends COUPON_EXPIRING once for each unused coupon that expires within the notice period. */
    public int notifyExpiring() {
        return inBatches(now -> repository.lockExpiring(now, now.plus(properties.expiringNotice()),
                properties.batchSize()), (unit, now) -> {
            if (!unit.markExpiringNotified(now)) {
                return false;
            }
            Coupon coupon = unit.coupon();
            outbox.append(new CouponEvents.CouponExpiring(unit.id(), coupon.id(), coupon.storeId(),
                    coupon.store().name(), coupon.name(), unit.userId(), unit.expiresAt()));
            return true;
        });
    }

    /** Locks a batch, changes each row (with its event) in the same transaction; repeats while batches are full. */
    private int inBatches(Function<Instant, List<Long>> lock, BiPredicate<IssuedCoupon, Instant> change) {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            int[] result = tx.execute(status -> {
                Instant now = now();
                List<Long> ids = lock.apply(now);
                int changed = 0;
                if (!ids.isEmpty()) {
                    for (IssuedCoupon unit : repository.findAllWithCoupon(ids)) {
                        if (change.test(unit, now)) {
                            changed++;
                        }
                    }
                }
                return new int[] {ids.size(), changed};
            });
            total += result[1];
            if (result[0] < properties.batchSize()) {
                break;
            }
        }
        return total;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
