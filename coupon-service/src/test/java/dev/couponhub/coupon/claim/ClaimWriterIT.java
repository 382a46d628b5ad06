package dev.couponhub.coupon.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

import dev.couponhub.coupon.CouponServiceItSupport;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.coupon.issued.IssuedCouponRepository;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The writer against the real MariaDB: claims that arrive together share a transaction (group commit) and each gets
 * exactly its row, its count and its event; MySQL's guard, not Redis, has the last word on the stock and the window;
 * a unique key already held is named to the claim that met it. Reservations are made by hand here, so that the
 * writer meets what only a Redis behind MySQL would hand it.
 */
class ClaimWriterIT extends CouponServiceItSupport {

    @Autowired
    ClaimWriter writer;

    @Autowired
    ClaimGate gate;

    @Autowired
    CouponRepository coupons;

    @Autowired
    IssuedCouponRepository issued;

    @Autowired
    MeterRegistry meters;

    @Test
    void claimsArrivingTogetherThenSharedTransactionsAndEachGetsItsRowCountAndEvent() throws Exception {
        int claims = 40;
        long couponId = openCoupon(claims, 1);
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        DistributionSummary batches = meters.get("couponhub.claims.batch.size").summary();
        double claimsBefore = batches.totalAmount();
        long batchesBefore = batches.count();
        long queuedBefore = stageCount("queue");
        long writtenBefore = stageCount("write");
        long confirmedBefore = stageCount("confirm");

        List<Object> outcomes = writeTogether(claims, seq -> new Reservation(gate, couponId, newUserId(), seq, 1,
                "test"), coupon);

        assertThat(outcomes).allMatch(IssuedCoupon.class::isInstance);
        assertThat(outcomes).map(unit -> ((IssuedCoupon) unit).id()).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(issuedCount(couponId)).isEqualTo(claims);
        assertThat(issuedQuantity(couponId)).isEqualTo(claims);
        assertThat(outboxRows(couponId).stream().filter(row -> "COUPON_CLAIMED".equals(row.get("type")))
                .map(row -> row.get("event_id")).distinct()).hasSize(claims);
        assertThat(batches.totalAmount() - claimsBefore).isEqualTo(claims);
        assertThat(batches.count() - batchesBefore).as("transactions for %d claims", claims).isLessThan(claims);
        // the stage timers: each claim's wait for the writer, each batch's transaction and its confirmation to Redis
        assertThat(stageCount("queue") - queuedBefore).isEqualTo(claims);
        assertThat(stageCount("write") - writtenBefore).isEqualTo(batches.count() - batchesBefore);
        assertThat(stageCount("confirm") - confirmedBefore).isEqualTo(batches.count() - batchesBefore);
    }

    private long stageCount(String stage) {
        return meters.get("couponhub.claims.stage").tag("stage", stage).timer().count();
    }

    @Test
    void moreClaimsThanMySqlHasStockForThenExactlyTheStockIssuedAndTheRestSoldOut() throws Exception {
        long couponId = openCoupon(5, 1);
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        // MySQL counts 2 units that Redis does not know of (as after a lost Redis write): 3 are left
        jdbc.update("UPDATE coupons SET issued_quantity = 2 WHERE id = ?", couponId);

        List<Object> outcomes = writeTogether(5, seq -> new Reservation(gate, couponId, newUserId(), seq, 1, "test"),
                coupon);

        assertThat(outcomes).filteredOn(IssuedCoupon.class::isInstance).hasSize(3);
        assertThat(outcomes).filteredOn(NotIssuable.class::isInstance).hasSize(2)
                .allSatisfy(refused -> assertThat(((NotIssuable) refused).refusal()).isEqualTo(Refusal.SOLD_OUT));
        assertThat(issuedCount(couponId)).isEqualTo(3);
        assertThat(issuedQuantity(couponId)).isEqualTo(5);
    }

    @Test
    void unitAlreadyIssuedThenKeyConflictNamingTheUnitAndNothingWritten() {
        long couponId = openCoupon(5, 1);
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        writer.write(coupon, new Reservation(gate, couponId, newUserId(), 1, 1, "test"), null, now());

        assertThatThrownBy(() -> writer.write(coupon, new Reservation(gate, couponId, newUserId(), 1, 1, "test"),
                null, now())).isInstanceOfSatisfying(KeyConflict.class,
                        conflict -> assertThat(conflict.taken()).isEqualTo(new TakenKeys(true, false, false)));
        assertThat(issuedCount(couponId)).isEqualTo(1);
        assertThat(issuedQuantity(couponId)).isEqualTo(1);
    }

    @Test
    void idempotencyKeyAlreadyUsedByTheShopperThenKeyConflictNamingIt() {
        long couponId = openCoupon(5, 2);
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        long shopper = newUserId();
        writer.write(coupon, new Reservation(gate, couponId, shopper, 1, 1, "test"), "key-" + token(), now());
        String key = jdbc.queryForObject("SELECT idempotency_key FROM issued_coupons WHERE coupon_id = ?",
                String.class, couponId);

        assertThatThrownBy(() -> writer.write(coupon, new Reservation(gate, couponId, shopper, 2, 2, "test"), key,
                now())).isInstanceOfSatisfying(KeyConflict.class,
                        conflict -> assertThat(conflict.taken()).isEqualTo(new TakenKeys(false, false, true)));
    }

    @Test
    void idempotencyKeysThatDifferInAnyByteThenDifferentKeys() {
        // what no HTTP header carries (a trailing space, a character beyond ISO-8859-1) is still compared exactly
        List<String> keys = List.of("a", "a ", "caf\u00e9", "cafe\u0301", "Key", "key");
        long couponId = openCoupon(10, keys.size());
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        long shopper = newUserId();
        String prefix = token();
        for (int i = 0; i < keys.size(); i++) {
            writer.write(coupon, new Reservation(gate, couponId, shopper, i + 1, i + 1, "test"), prefix + keys.get(i),
                    now());
        }

        assertThat(issuedCount(couponId)).isEqualTo(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            IssuedCoupon found = issued.findByIdempotencyKey(shopper, prefix + keys.get(i)).orElseThrow();
            assertThat(found.seq()).as(keys.get(i)).isEqualTo(i + 1);
            assertThat(found.idempotencyKey()).isEqualTo(prefix + keys.get(i));
            assertThat(writer.takenKeys(coupon, new Reservation(gate, couponId, shopper, 100, 100, "test"),
                    prefix + keys.get(i))).isEqualTo(new TakenKeys(false, false, true));
        }
        assertThat(issued.findByIdempotencyKey(shopper, prefix + "A")).isEmpty();
        assertThat(issued.findByIdempotencyKey(shopper, prefix + "cafe")).isEmpty();
    }

    @Test
    void couponEndedAfterTheClaimReadItThenNotIssuableWindowClosed() {
        long couponId = openCoupon(5, 1);
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        jdbc.update("UPDATE coupons SET ended_at = ? WHERE id = ?", java.sql.Timestamp.from(now().minusSeconds(1)),
                couponId);

        assertThatThrownBy(() -> writer.write(coupon, new Reservation(gate, couponId, newUserId(), 1, 1, "test"),
                null, now())).isInstanceOfSatisfying(NotIssuable.class,
                        refused -> assertThat(refused.refusal()).isEqualTo(Refusal.WINDOW_CLOSED));
        assertThat(issuedCount(couponId)).isZero();
    }

    @Test
    void claimsWhoseDeadlinePassedBeforeTheWriterTookThemThenNotWrittenAndNeverWritten() throws Exception {
        int claims = 20;
        long couponId = openCoupon(claims, 1);
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(claims);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (long seq = 1; seq <= claims; seq++) {
                Reservation reservation = new Reservation(gate, couponId, newUserId(), seq, 1, "test");
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        // the deadline has passed as the claim arrives: caller and writer race to decide, the caller
                        // gives up on it or the writer leaves it out; either way it is answered as not written
                        return writer.write(coupon, reservation, null, now(), System.nanoTime());
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            for (Future<Object> future : futures) {
                assertThat(future.get()).isInstanceOf(NotWritten.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(issuedCount(couponId)).isZero();
        assertThat(issuedQuantity(couponId)).isZero();
        assertThat(outboxRows(couponId).stream().filter(row -> "COUPON_CLAIMED".equals(row.get("type")))).isEmpty();
    }

    /** Writes one claim per unit 1..n from as many threads at once; answers each outcome (unit or exception). */
    private List<Object> writeTogether(int n, LongFunction<Reservation> reservationOfUnit, Coupon coupon)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (long seq = 1; seq <= n; seq++) {
                Reservation reservation = reservationOfUnit.apply(seq);
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return writer.write(coupon, reservation, null, at);
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private long issuedQuantity(long couponId) {
        return jdbc.queryForObject("SELECT issued_quantity FROM coupons WHERE id = ?", Long.class, couponId);
    }
}
