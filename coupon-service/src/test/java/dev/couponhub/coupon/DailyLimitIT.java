package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * {@code perUserDailyLimit}: at most that many claims by one shopper per calendar day in the service zone, exact when
 * every shopper claims many times at once, after Redis lost its state, and in MySQL itself. (The day's boundary at
 * the zone's midnight is shown with a clock in {@code ClaimGateTests}.)
 */
class DailyLimitIT extends CouponServiceItSupport {

    private static final int SHOPPERS = 50;
    private static final int CLAIMS_EACH = 6;

    @Test
    void everyShopperClaimingSixTimesAtOnceGetsExactlyTheDailyLimit() throws Exception {
        long couponId = dailyCoupon(1_000, 5, 2);
        List<Long> attempts = new ArrayList<>();
        List<Long> shoppers = new ArrayList<>();
        for (int i = 0; i < SHOPPERS; i++) {
            long shopper = newUserId();
            shoppers.add(shopper);
            for (int n = 0; n < CLAIMS_EACH; n++) {
                attempts.add(shopper);
            }
        }
        Collections.shuffle(attempts);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (long shopper : attempts) {
                futures.add(pool.submit(() -> {
                    start.await();
                    ApiClient.Response response = claim(couponId, shopper);
                    String outcome = response.status() == 201 ? "201" : response.status() + " "
                            + response.json().path("code").asText();
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes.keySet()).as(outcomes.toString()).containsOnly("201", "409 DAILY_LIMIT_REACHED");
        assertThat(outcomes.get("201").get()).isEqualTo(SHOPPERS * 2);
        List<Map<String, Object>> perUser = jdbc.queryForList("SELECT user_id, COUNT(*) AS n, MIN(day_seq) AS lo, "
                + "MAX(day_seq) AS hi, MIN(claim_day) AS day, COUNT(DISTINCT claim_day) AS days FROM issued_coupons "
                + "WHERE coupon_id = ? GROUP BY user_id", couponId);
        assertThat(perUser).hasSize(SHOPPERS).allSatisfy(row -> {
            assertThat(((Number) row.get("n")).intValue()).isEqualTo(2);
            assertThat(((Number) row.get("lo")).intValue()).isEqualTo(1);
            assertThat(((Number) row.get("hi")).intValue()).isEqualTo(2);
            assertThat(((Number) row.get("days")).intValue()).isEqualTo(1);
        });
        LocalDate day = ((java.sql.Date) perUser.get(0).get("day")).toLocalDate();
        assertThat(day).isIn(LocalDate.now(ZoneId.of("Asia/Seoul")),
                LocalDate.now(ZoneId.of("Asia/Seoul")).minusDays(1)); // the stampede may straddle midnight
    }

    @Test
    void redisLosingItsStateThenTheDaySlotsAreRebuiltFromMySql() {
        long couponId = dailyCoupon(100, 5, 1);
        long shopper = newUserId();
        assertThat(claim(couponId, shopper).status()).isEqualTo(201);
        redis.execute(connection -> {
            connection.serverCommands().flushAll();
            return null;
        }, true);

        assertProblem(claim(couponId, shopper), 409, "DAILY_LIMIT_REACHED", COUPONS + "/" + couponId + "/claim");
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
        assertThat(issuedCount(couponId)).isEqualTo(2);
    }

    @Test
    void mySqlItselfRefusesASecondUnitOnTheSameDaySlot() {
        long couponId = dailyCoupon(100, 5, 1);
        long shopper = newUserId();
        assertThat(claim(couponId, shopper).status()).isEqualTo(201);
        Map<String, Object> row = jdbc.queryForMap("SELECT claim_day, day_seq FROM issued_coupons WHERE coupon_id = ?",
                couponId);

        assertThatThrownBy(() -> jdbc.update("INSERT INTO issued_coupons (coupon_id, user_id, seq, user_seq, "
                        + "per_user_limit, claim_day, day_seq, code, status, issued_at, expires_at) VALUES (?, ?, 2, 2, 5, "
                        + "?, ?, 'DAYSLOT00001', 'ISSUED', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 DAY)",
                couponId, shopper, row.get("claim_day"), row.get("day_seq")))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void theLimitIsPublishedAndShownOrRefusedWhenAboveThePerUserLimit() {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "Daily " + token(), 10);
        body.put("perUserLimit", 3);
        body.put("perUserDailyLimit", 4);
        assertThat(errorFields(assertProblem(api.post(COUPONS, body, owner(store[0])), 400, "VALIDATION_FAILED",
                COUPONS))).containsExactly("perUserDailyLimit");
        body.put("perUserDailyLimit", 0);
        assertThat(errorFields(assertProblem(api.post(COUPONS, body, owner(store[0])), 400, "VALIDATION_FAILED",
                COUPONS))).containsExactly("perUserDailyLimit");
        body.remove("perUserLimit");
        body.put("perUserDailyLimit", 2); // above the default limit of 1
        assertProblem(api.post(COUPONS, body, owner(store[0])), 400, "VALIDATION_FAILED", COUPONS);

        body.put("perUserLimit", 3);
        JsonNode published = publish(store[0], body);

        assertThat(published.path("perUserDailyLimit").asInt()).isEqualTo(2);
        assertThat(api.get(COUPONS + "/" + published.path("id").asLong()).json().path("perUserDailyLimit").asInt())
                .isEqualTo(2);
        body.remove("perUserDailyLimit");
        assertThat(publish(store[0], body).path("perUserDailyLimit").isNull()).isTrue();
    }

    private long dailyCoupon(long total, int perUserLimit, int perUserDailyLimit) {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "Daily " + token(), total);
        body.put("perUserLimit", perUserLimit);
        body.put("perUserDailyLimit", perUserDailyLimit);
        return publish(store[0], body).path("id").asLong();
    }
}
