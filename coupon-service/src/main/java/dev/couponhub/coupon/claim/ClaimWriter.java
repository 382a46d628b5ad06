package dev.couponhub.coupon.claim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.events.CouponEvents;
import dev.couponhub.coupon.events.Outbox;
import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.coupon.issued.IssuedCouponRepository;
import dev.couponhub.coupon.web.ApiException;
import dev.couponhub.coupon.web.ProblemCode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes issues to MySQL. With group commit on, claims are queued to one writer thread that writes a small batch (up
 * to {@code batchSize} claims that arrived within {@code batchWindow}) in one transaction and completes each claim's
 * future only after that transaction committed: every 201 is still durable, but many claims share one commit. If a
 * batch fails as a whole (a duplicate key, a deadlock), each of its claims is written again on its own, so that one
 * claim's problem is answered to that claim only. With group commit off, each claim has its own transaction.
 */
@Component
class ClaimWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClaimWriter.class);
    private static final long MAX_WAIT_SECONDS = 30;

    /** One claim waiting to be written. */
    private record Pending(Coupon coupon, long userId, ClaimGate.Reservation reservation, String idempotencyKey,
                           Instant now, CompletableFuture<IssuedCoupon> result) {
    }

    private final CouponRepository coupons;
    private final IssuedCouponRepository issued;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final ClaimProperties properties;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private volatile boolean running;
    private Thread thread;

    ClaimWriter(CouponRepository coupons, IssuedCouponRepository issued, Outbox outbox,
                PlatformTransactionManager transactionManager, ClaimProperties properties, MeterRegistry meters) {
        this.coupons = coupons;
        this.issued = issued;
        this.outbox = outbox;
        this.tx = new TransactionTemplate(transactionManager);
        this.properties = properties;
        this.batchSizes = DistributionSummary.builder("couponhub.claims.batch.size")
                .description("Claims written per transaction (group commit)").register(meters);
    }

    /**
     * Writes the issue durably and answers it.
     *
     * @throws NotIssuable when MySQL refuses to count it (ended or full); database exceptions as they happened
     */
    IssuedCoupon write(Coupon coupon, long userId, ClaimGate.Reservation reservation, String idempotencyKey,
                       Instant now) {
        if (!properties.groupCommit() || !running) {
            return tx.execute(status -> writeOne(coupon, userId, reservation, idempotencyKey, now));
        }
        CompletableFuture<IssuedCoupon> result = new CompletableFuture<>();
        queue.add(new Pending(coupon, userId, reservation, idempotencyKey, now, result));
        try {
            return result.get(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ProblemCode.DEPENDENCY_UNAVAILABLE, "The claim was interrupted.");
        } catch (TimeoutException e) {
            // the claim may still be written later: its unit stays reserved, never given to someone else
            throw new IllegalStateException("claim write did not complete in time", e);
        }
    }

    /** One issue in the current transaction: the count first (it locks the coupon row), the row, the event. */
    private IssuedCoupon writeOne(Coupon coupon, long userId, ClaimGate.Reservation reservation,
                                  String idempotencyKey, Instant now) {
        IssuedCoupon unit = new IssuedCoupon(coupon, userId, reservation.seq(), reservation.userSeq(),
                CouponCodes.next(), idempotencyKey, now);
        if (coupons.countIssue(coupon.id()) == 0) {
            throw new NotIssuable(coupon.endedAt() != null || !coupon.isClaimWindowOpen(now)
                    ? new ApiException(ProblemCode.CLAIM_WINDOW_CLOSED, "This coupon cannot be claimed now.")
                    : new ApiException(ProblemCode.SOLD_OUT, "Every unit of this coupon is claimed."));
        }
        issued.saveAndFlush(unit);
        outbox.append(new CouponEvents.CouponClaimed(unit.id(), coupon.id(), coupon.storeId(), coupon.store().name(),
                coupon.name(), userId, unit.issuedAt(), unit.expiresAt()));
        return unit;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + properties.batchWindow().toNanos();
                while (batch.size() < properties.batchSize()) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                writeBatch(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                batch.forEach(pending -> pending.result().completeExceptionally(e));
                log.error("Claim writer failed a batch", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        batchSizes.record(batch.size());
        if (batch.size() > 1) {
            // the same lock order in every batch: fewer deadlocks between instances
            batch.sort(Comparator.comparing((Pending pending) -> pending.coupon().id())
                    .thenComparing(pending -> pending.reservation().seq()));
            List<Object> outcomes = new ArrayList<>();
            try {
                tx.executeWithoutResult(status -> {
                    outcomes.clear();
                    for (Pending pending : batch) {
                        try {
                            outcomes.add(writeOne(pending.coupon(), pending.userId(), pending.reservation(),
                                    pending.idempotencyKey(), pending.now()));
                        } catch (NotIssuable refused) {
                            outcomes.add(refused); // nothing was written for it: the others go on
                        }
                    }
                });
                for (int i = 0; i < batch.size(); i++) {
                    Object outcome = outcomes.get(i);
                    if (outcome instanceof IssuedCoupon unit) {
                        batch.get(i).result().complete(unit);
                    } else {
                        batch.get(i).result().completeExceptionally((NotIssuable) outcome);
                    }
                }
                return;
            } catch (RuntimeException batchFailed) {
                log.debug("Claim batch of {} failed ({}); writing its claims one by one", batch.size(),
                        batchFailed.toString());
            }
        }
        for (Pending pending : batch) {
            try {
                pending.result().complete(tx.execute(status -> writeOne(pending.coupon(), pending.userId(),
                        pending.reservation(), pending.idempotencyKey(), pending.now())));
            } catch (RuntimeException e) {
                pending.result().completeExceptionally(e);
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "claim-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(MAX_WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server stopped taking requests (higher phases stop first), before the data source. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE / 2;
    }
}
