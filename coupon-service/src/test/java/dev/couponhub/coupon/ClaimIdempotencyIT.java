package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The {@code Idempotency-Key} of a claim as docs/api.md promises it: a repeat answers the first answer and issues
 * nothing, also when many copies arrive at once; the same key on another coupon is 422
 * {@code IDEMPOTENCY_KEY_REUSED}.
 */
class ClaimIdempotencyIT extends CouponServiceItSupport {

    private static final String KEY = "Idempotency-Key";
    private static final int THREADS = 16;

    @Test
    void keyReusedOnAnotherCouponThenKeyReusedAndNothingIssued() {
        long first = openCoupon(5, 2);
        long other = openCoupon(5, 2);
        long user = newUserId();
        String key = token();

        ApiClient.Response issued = claim(first, user, KEY, key);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);

        JsonNode problem = assertProblem(claim(other, user, KEY, key), 422, "IDEMPOTENCY_KEY_REUSED",
                COUPONS + "/" + other + "/claim");
        assertThat(problem.path("detail").asText()).contains("another coupon");
        assertThat(issuedCount(other)).isZero();
        // the key still answers its own coupon with the first answer
        ApiClient.Response again = claim(first, user, KEY, key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("id").asLong()).isEqualTo(issued.json().path("id").asLong());
        assertThat(issuedCount(first)).isEqualTo(1);

        // Redis forgot the answer: MySQL still knows which coupon the key issued
        redis.delete("idem:" + user + ":" + key);
        assertProblem(claim(other, user, KEY, key), 422, "IDEMPOTENCY_KEY_REUSED", COUPONS + "/" + other + "/claim");
        assertThat(claim(first, user, KEY, key).json().path("id").asLong())
                .isEqualTo(issued.json().path("id").asLong());
        assertThat(issuedCount(other)).isZero();
        assertThat(issuedCount(first)).isEqualTo(1);
        // the refusal was not remembered as the key's answer: its first answer is still the 201
        assertThat(claim(first, user, KEY, key).json().path("id").asLong())
                .isEqualTo(issued.json().path("id").asLong());
        // another shopper may use the same key on the other coupon
        assertThat(claim(other, newUserId(), KEY, key).status()).isEqualTo(201);
    }

    @Test
    void keyWhoseFirstAnswerWasAnErrorReusedOnAnotherCouponThenKeyReused() {
        long soldOut = openCoupon(1, 1);
        assertThat(claim(soldOut, newUserId()).status()).isEqualTo(201);
        long other = openCoupon(5, 1);
        long user = newUserId();
        String key = token();

        assertProblem(claim(soldOut, user, KEY, key), 409, "SOLD_OUT", COUPONS + "/" + soldOut + "/claim");
        assertProblem(claim(other, user, KEY, key), 422, "IDEMPOTENCY_KEY_REUSED", COUPONS + "/" + other + "/claim");
        assertProblem(claim(soldOut, user, KEY, key), 409, "SOLD_OUT", COUPONS + "/" + soldOut + "/claim");
        assertThat(issuedCount(other)).isZero();
    }

    @Test
    void sameKeySentByManyThreadsAtOnceThenAllGetTheFirstAnswerAndOneIssue() throws Exception {
        for (int round = 0; round < 5; round++) {
            long couponId = openCoupon(50, 5);
            long user = newUserId();
            String key = token();
            List<ApiClient.Response> answers = all(THREADS, i -> claim(couponId, user, KEY, key));

            Set<Long> ids = new HashSet<>();
            for (ApiClient.Response response : answers) {
                assertThat(response.status()).as("round %d: %s", round, response).isEqualTo(201);
                ids.add(response.json().path("id").asLong());
            }
            assertThat(ids).as("round %d", round).hasSize(1);
            assertThat(issuedCount(couponId)).as("round %d", round).isEqualTo(1);
            assertThat(claim(couponId, user, KEY, key).json().path("id").asLong()).isEqualTo(ids.iterator().next());
        }
    }

    @Test
    void sameKeySentByManyThreadsAtOnceForTwoCouponsThenOneIssueAndTheOtherCouponKeyReused() throws Exception {
        for (int round = 0; round < 5; round++) {
            long[] couponIds = {openCoupon(50, 5), openCoupon(50, 5)};
            long user = newUserId();
            String key = token();
            List<ApiClient.Response> answers = all(THREADS, i -> claim(couponIds[i % 2], user, KEY, key));

            long issued0 = issuedCount(couponIds[0]);
            long issued1 = issuedCount(couponIds[1]);
            assertThat(issued0 + issued1).as("round %d", round).isEqualTo(1);
            int winner = issued0 == 1 ? 0 : 1;
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < answers.size(); i++) {
                ApiClient.Response response = answers.get(i);
                if (i % 2 == winner) {
                    assertThat(response.status()).as("round %d: %s", round, response).isEqualTo(201);
                    ids.add(response.json().path("id").asLong());
                } else {
                    assertProblem(response, 422, "IDEMPOTENCY_KEY_REUSED",
                            COUPONS + "/" + couponIds[i % 2] + "/claim");
                }
            }
            assertThat(ids).as("round %d", round).hasSize(1);
        }
    }

    private interface Call {
        ApiClient.Response send(int i);
    }

    /** Sends {@code n} calls from as many threads, released together; answers them in order. */
    private static List<ApiClient.Response> all(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.send(index);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<ApiClient.Response> answers = new ArrayList<>();
            for (Future<ApiClient.Response> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
