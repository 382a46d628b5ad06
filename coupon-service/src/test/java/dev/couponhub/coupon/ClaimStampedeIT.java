package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * 1,000 concurrent claims from 500 shoppers (each tries twice) on a stock of 100: exactly 100 issued, nobody over the
 * limit, Redis and MySQL agree; also when Redis is flushed halfway through.
 */
class ClaimStampedeIT extends CouponServiceItSupport {

    private static final int USERS = 500;
    private static final int CLAIMS = 1000;
    private static final int STOCK = 100;
    private static final int THREADS = 64;

    @Autowired
    MeterRegistry meters;

    @Test
    void stampedeThenExactlyTheStockIssuedAndNobodyOverTheLimit() throws Exception {
        long couponId = openCoupon(STOCK, 1);
        long reservationsBefore = meters.get("couponhub.claims.stage").tag("stage", "gate").timer().count();
        Map<Integer, AtomicInteger> statuses = stampede(couponId, null);
        assertOutcome(couponId, statuses);
        // group commit is on: under this load claims share transactions
        DistributionSummary batches = meters.find("couponhub.claims.batch.size").summary();
        assertThat(batches).isNotNull();
        assertThat(batches.totalAmount()).isGreaterThan(batches.count());
        // every claim past the window check asked the gate at least once, also those refused
        assertThat(meters.get("couponhub.claims.stage").tag("stage", "gate").timer().count() - reservationsBefore)
                .isGreaterThanOrEqualTo(CLAIMS);
    }

    @Test
    void stampedeWithRedisFlushedHalfwayThenStillExactlyTheStock() throws Exception {
        long couponId = openCoupon(STOCK, 1);
        Map<Integer, AtomicInteger> statuses = stampede(couponId, () -> redis.execute(connection -> {
            connection.serverCommands().flushAll();
            return null;
        }, true));
        assertOutcome(couponId, statuses);
    }

    @Test
    void stampedeWithPerUserLimitTwoThenNobodyOverTwo() throws Exception {
        long couponId = openCoupon(STOCK, 2);
        Map<Integer, AtomicInteger> statuses = stampede(couponId, null);
        assertThat(statuses.get(201).get()).isEqualTo(STOCK);
        assertThat(issuedCount(couponId)).isEqualTo(STOCK);
        List<Map<String, Object>> perUser = jdbc.queryForList("SELECT user_id, COUNT(*) AS n FROM issued_coupons "
                + "WHERE coupon_id = ? GROUP BY user_id", couponId);
        assertThat(perUser).allSatisfy(row -> assertThat(((Number) row.get("n")).intValue()).isLessThanOrEqualTo(2));
    }

    private Map<Integer, AtomicInteger> stampede(long couponId, Runnable halfway) throws Exception {
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(newUserId());
        }
        List<Long> attempts = new ArrayList<>(users);
        attempts.addAll(users);
        Collections.shuffle(attempts);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch half = new CountDownLatch(CLAIMS / 2);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (long user : attempts) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        ApiClient.Response response = claim(couponId, user);
                        statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (response.status() != 201) {
                            String code = response.json().path("code").asText();
                            assertThat(code).as(response.toString()).isIn("SOLD_OUT", "CLAIM_LIMIT_REACHED");
                        }
                    } finally {
                        half.countDown();
                    }
                    return null;
                }));
            }
            start.countDown();
            if (halfway != null) {
                assertThat(half.await(60, TimeUnit.SECONDS)).isTrue();
                halfway.run();
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return statuses;
    }

    private void assertOutcome(long couponId, Map<Integer, AtomicInteger> statuses) {
        assertThat(statuses.get(201).get()).as(statuses.toString()).isEqualTo(STOCK);
        assertThat(statuses.keySet()).as(statuses.toString()).containsOnly(201, 409);
        assertThat(issuedCount(couponId)).isEqualTo(STOCK);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT user_id) FROM issued_coupons WHERE coupon_id = ?",
                Long.class, couponId)).isEqualTo(STOCK);
        assertThat(jdbc.queryForList("SELECT seq FROM issued_coupons WHERE coupon_id = ? ORDER BY seq", Long.class,
                couponId)).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, STOCK).boxed().toList());
        assertThat(jdbc.queryForObject("SELECT issued_quantity FROM coupons WHERE id = ?", Long.class, couponId))
                .isEqualTo(STOCK);

        // Redis agrees with MySQL: as many units reserved (counter - given back + taken above the counter) as issued,
        // and the same holders
        String tag = "cp:{" + couponId + "}:";
        long next = Long.parseLong(redis.opsForValue().get(tag + "next"));
        long free = redis.opsForSet().size(tag + "free");
        long taken = redis.opsForSet().size(tag + "taken");
        assertThat(next - free + taken).as("next %d, free %s, taken %s", next, redis.opsForSet().members(tag + "free"),
                redis.opsForSet().members(tag + "taken")).isEqualTo(STOCK);
        Map<Long, Integer> redisHolders = new HashMap<>();
        redis.opsForHash().entries(tag + "users").forEach((user, slots) -> {
            int held = (int) slots.toString().chars().filter(c -> c == '1').count();
            if (held > 0) {
                redisHolders.put(Long.valueOf(user.toString()), held);
            }
        });
        Map<Long, Integer> dbHolders = new HashMap<>();
        jdbc.queryForList("SELECT user_id, COUNT(*) AS n FROM issued_coupons WHERE coupon_id = ? GROUP BY user_id",
                couponId).forEach(row -> dbHolders.put(((Number) row.get("user_id")).longValue(),
                ((Number) row.get("n")).intValue()));
        assertThat(redisHolders).isEqualTo(dbHolders);
    }
}
