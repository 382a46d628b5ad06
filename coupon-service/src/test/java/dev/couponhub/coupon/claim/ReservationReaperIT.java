package dev.couponhub.coupon.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.couponhub.coupon.CouponServiceItSupport;
import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.testsupport.ApiClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What Redis and MySQL end up with when a claim's process cannot finish its reservation, or when Redis forgot what
 * MySQL holds: units a dead process reserved come back after {@code reservation-ttl} (the reaper asks MySQL first), a
 * state behind MySQL is dropped and rebuilt at the first conflict, and the rebuild streams any number of issued rows.
 * Reservations are made by hand where a real process would have died between the reservation and its answer.
 */
class ReservationReaperIT extends CouponServiceItSupport {

    @Autowired
    ClaimGate gate;

    @Autowired
    ClaimWriter writer;

    @Autowired
    ReservationReaper reaper;

    @Autowired
    CouponRepository coupons;

    @Autowired
    ClaimProperties properties;

    @Autowired
    MeterRegistry meters;

    @Test
    void unitReservedByAProcessThatDiedThenGivenBackAfterTheTtlAndClaimableAgain() {
        long couponId = openCoupon(1, 1);
        long died = newUserId();
        long next = newUserId();
        double reapedBefore = reapedCount();
        gate.reserve(couponId, died, now()); // the process dies here: no write, no release

        assertProblem(claim(couponId, next), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");
        assertProblem(claim(couponId, died), 409, "CLAIM_LIMIT_REACHED", COUPONS + "/" + couponId + "/claim");
        reaper.reap(now());
        assertThat(redis.opsForZSet().size(tag(couponId) + "pending")).as("younger than the ttl").isEqualTo(1);
        assertProblem(claim(couponId, next), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");

        assertThat(reaper.reap(afterTtl())).isPositive();

        assertThat(claim(couponId, next).status()).isEqualTo(201);
        assertThat(issuedCount(couponId)).isEqualTo(1);
        assertThat(redis.opsForHash().get(tag(couponId) + "users", Long.toString(died))).isEqualTo("0");
        assertThat(redis.opsForZSet().size(tag(couponId) + "pending")).isZero();
        assertThat(reapedCount() - reapedBefore).isGreaterThanOrEqualTo(1);
    }

    @Test
    void unitIssuedButNeverConfirmedThenLeftIssuedAndOnlyTheReservationEnded() {
        long couponId = openCoupon(2, 1);
        long holder = newUserId();
        Coupon coupon = coupons.findWithStore(couponId).orElseThrow();
        Reservation reservation = gate.reserve(couponId, holder, now());
        writer.write(coupon, reservation, null, now(), System.nanoTime() + 2_000_000_000L);
        // as if the process died after COMMIT, before it told Redis
        redis.opsForZSet().add(tag(couponId) + "pending", reservation.pendingMember(), now().toEpochMilli());

        assertThat(reaper.reap(afterTtl())).isPositive();

        assertThat(redis.opsForZSet().size(tag(couponId) + "pending")).isZero();
        assertThat(redis.opsForSet().members(tag(couponId) + "free")).isEmpty();
        assertThat(redis.opsForHash().get(tag(couponId) + "users", Long.toString(holder))).isEqualTo("1");
        assertProblem(claim(couponId, holder), 409, "CLAIM_LIMIT_REACHED", COUPONS + "/" + couponId + "/claim");
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");
        assertThat(issuedCount(couponId)).isEqualTo(2);
    }

    @Test
    void claimsAnsweredAndGivenBackThenNothingLeftPending() {
        long couponId = openCoupon(3, 1);
        long first = newUserId();
        assertThat(claim(couponId, first).status()).isEqualTo(201);
        assertProblem(claim(couponId, first), 409, "CLAIM_LIMIT_REACHED", COUPONS + "/" + couponId + "/claim");
        gate.reserve(couponId, newUserId(), now()).release();

        assertThat(redis.opsForZSet().size(tag(couponId) + "pending")).isZero();
    }

    @Test
    void counterLostThenTheStateIsRebuiltAndTheStockStaysExact() {
        long couponId = openCoupon(15, 1);
        for (int i = 0; i < 10; i++) { // more than a claim's attempts: an old counter cannot catch up within one
            assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
        }
        redis.delete(tag(couponId) + "next"); // evicted

        for (int i = 0; i < 5; i++) {
            ApiClient.Response claimed = claim(couponId, newUserId());
            assertThat(claimed.status()).as(claimed.toString()).isEqualTo(201);
        }
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");
        assertThat(issuedCount(couponId)).isEqualTo(15);
    }

    @Test
    void recentWritesLostInAFailoverThenTheFirstConflictDropsTheStateAndClaimsGoOnExactly() {
        long couponId = openCoupon(20, 1);
        List<Long> holders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long user = newUserId();
            assertThat(claim(couponId, user).status()).isEqualTo(201);
            holders.add(user);
        }
        // the replica that took over had seen only the first claim
        redis.opsForValue().set(tag(couponId) + "next", "1");
        redis.opsForHash().delete(tag(couponId) + "users", holders.subList(1, 12).stream().map(String::valueOf)
                .toArray());

        ApiClient.Response first = claim(couponId, newUserId());
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertProblem(claim(couponId, holders.get(5)), 409, "CLAIM_LIMIT_REACHED", COUPONS + "/" + couponId
                + "/claim");
        for (int i = 0; i < 7; i++) {
            assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
        }
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");
        assertThat(issuedCount(couponId)).isEqualTo(20);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT seq) FROM issued_coupons WHERE coupon_id = ?",
                Long.class, couponId)).isEqualTo(20);
    }

    @Test
    void stateRebuiltFromTensOfThousandsOfIssuedRowsThenEveryUnitAndSlotCountedAndTheGapsFree() {
        int total = 30_000;
        long couponId = openCoupon(total, 2);
        int rows = 0;
        List<Object[]> batch = new ArrayList<>();
        long firstUser = newUserId();
        for (int seq = 1; seq <= 25_000; seq++) {
            if (seq % 1000 == 0) {
                continue; // 25 units given back: the gaps
            }
            // 2 units per user for most users, one for some
            long user = firstUser + seq / 2;
            int userSeq = seq % 2 == 0 ? 1 : 2;
            batch.add(new Object[] {couponId, user, seq, userSeq, String.format("R%011d", couponId * 100_000 + seq)});
            rows++;
        }
        jdbc.batchUpdate("INSERT INTO issued_coupons (coupon_id, user_id, seq, user_seq, per_user_limit, code, status, "
                + "issued_at, expires_at) VALUES (?, ?, ?, ?, 2, ?, 'ISSUED', UTC_TIMESTAMP(6), "
                + "UTC_TIMESTAMP(6) + INTERVAL 30 DAY)", batch);
        jdbc.update("UPDATE coupons SET issued_quantity = ? WHERE id = ?", rows, couponId);
        redis.delete(ClaimGate.keys(couponId));

        long newcomer = newUserId();
        assertThat(claim(couponId, newcomer).status()).isEqualTo(201);

        assertThat(redis.opsForValue().get(tag(couponId) + "next")).isEqualTo("24999");
        assertThat(redis.opsForSet().size(tag(couponId) + "free")).isEqualTo(23);
        assertThat(redis.opsForHash().size(tag(couponId) + "users")).isEqualTo(12_501);
        assertThat(redis.opsForHash().get(tag(couponId) + "users", Long.toString(firstUser + 1))).isEqualTo("11");
        assertThat(redis.opsForHash().get(tag(couponId) + "users", Long.toString(firstUser))).isEqualTo("01");
        // the last unit, issued at seq 24999, is next; 25000 was never issued, so it is beyond the counter
        assertThat(jdbc.queryForObject("SELECT seq FROM issued_coupons WHERE coupon_id = ? AND user_id = ?",
                Long.class, couponId, newcomer)).isBetween(1000L, 24_000L).matches(seq -> seq % 1000 == 0);
        assertThat(issuedCount(couponId)).isEqualTo(rows + 1);
    }

    private Instant afterTtl() {
        return now().plus(properties.reservationTtl()).plusSeconds(1);
    }

    private double reapedCount() {
        return meters.get("couponhub.claims.reservations.reaped").counter().count();
    }

    private static String tag(long couponId) {
        return "cp:{" + couponId + "}:";
    }
}
