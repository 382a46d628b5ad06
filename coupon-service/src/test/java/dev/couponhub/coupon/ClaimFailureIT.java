package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * A claim whose database write fails gives its Redis reservation back. The failure is real: a CHECK constraint added
 * to the table for the test makes MariaDB refuse the insert of one shopper, so the transaction rolls back after Redis
 * reserved the unit.
 */
class ClaimFailureIT extends CouponServiceItSupport {

    @Test
    void claimWhenInsertFailsThenReservationGivenBackAndStockStillAvailable() {
        long couponId = openCoupon(1, 1);
        long unlucky = newUserId();
        String check = "ck_test_refuse_" + couponId;
        jdbc.execute("ALTER TABLE issued_coupons ADD CONSTRAINT " + check + " CHECK (user_id <> " + unlucky + ")");
        try {
            ApiClient.Response failed = claim(couponId, unlucky);

            assertProblem(failed, 500, "INTERNAL_ERROR", COUPONS + "/" + couponId + "/claim");
            assertThat(failed.body()).doesNotContain(check);
            assertThat(issuedCount(couponId)).isZero();
            String tag = "cp:{" + couponId + "}:";
            assertThat(redis.opsForSet().members(tag + "free")).containsExactly("1");
            assertThat(redis.opsForHash().get(tag + "users", Long.toString(unlucky))).isEqualTo("0");
        } finally {
            jdbc.execute("ALTER TABLE issued_coupons DROP CONSTRAINT " + check);
        }

        // the only unit was given back: the same shopper, then nobody else, can have it
        ApiClient.Response retry = claim(couponId, unlucky);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");
        assertThat(issuedCount(couponId)).isEqualTo(1);
    }

    @Test
    void claimWhenOneInsertOfABatchFailsThenOnlyThatClaimFailsAndItsReservationIsGivenBack() throws Exception {
        int shoppers = 20;
        long couponId = openCoupon(shoppers, 1);
        long unlucky = newUserId();
        String check = "ck_test_refuse_" + couponId;
        jdbc.execute("ALTER TABLE issued_coupons ADD CONSTRAINT " + check + " CHECK (user_id <> " + unlucky + ")");
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < shoppers - 1; i++) {
            users.add(newUserId());
        }
        users.add(shoppers / 2, unlucky);
        ExecutorService pool = Executors.newFixedThreadPool(shoppers);
        CountDownLatch start = new CountDownLatch(1);
        int issued = 0;
        try {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (long user : users) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return claim(couponId, user);
                }));
            }
            start.countDown();
            for (int i = 0; i < users.size(); i++) {
                ApiClient.Response response = answers.get(i).get();
                if (users.get(i) == unlucky) {
                    assertThat(response.status()).as(response.toString()).isEqualTo(500);
                } else {
                    assertThat(response.status()).as(response.toString()).isEqualTo(201);
                    issued++;
                }
            }
        } finally {
            pool.shutdownNow();
            jdbc.execute("ALTER TABLE issued_coupons DROP CONSTRAINT " + check);
        }
        assertThat(issued).isEqualTo(shoppers - 1);
        assertThat(issuedCount(couponId)).isEqualTo(shoppers - 1);
        assertThat(jdbc.queryForObject("SELECT issued_quantity FROM coupons WHERE id = ?", Long.class, couponId))
                .isEqualTo(shoppers - 1);
        String tag = "cp:{" + couponId + "}:";
        long reserved = Long.parseLong(redis.opsForValue().get(tag + "next")) - redis.opsForSet().size(tag + "free");
        assertThat(reserved).isEqualTo(shoppers - 1);
        assertThat(redis.opsForHash().get(tag + "users", Long.toString(unlucky))).isEqualTo("0");
    }
}
