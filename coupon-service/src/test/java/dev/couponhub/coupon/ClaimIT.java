package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ClaimIT extends CouponServiceItSupport {

    @Test
    void claimWhenActiveThenIssuedDurablyWithCodeAndExpiry() {
        long couponId = openCoupon(10, 1);
        long user = newUserId();

        ApiClient.Response response = claim(couponId, user);

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode issued = response.json();
        assertThat(response.header("Location")).isEqualTo("/api/v1/issued-coupons/" + issued.path("id").asLong());
        assertThat(issued.path("couponId").asLong()).isEqualTo(couponId);
        assertThat(issued.path("userId").asLong()).isEqualTo(user);
        assertThat(issued.path("code").asText()).matches("[23456789A-HJ-NP-Z]{12}");
        assertThat(issued.path("status").asText()).isEqualTo("ISSUED");
        Instant issuedAt = Instant.parse(issued.path("issuedAt").asText());
        assertThat(Instant.parse(issued.path("expiresAt").asText())).isEqualTo(issuedAt.plus(Duration.ofDays(30)));
        assertThat(issued.path("redeemedAt").isNull()).isTrue();
        assertThat(issued.path("coupon").path("discountType").asText()).isEqualTo("FIXED");
        assertThat(issued.path("coupon").path("discountValue").asLong()).isEqualTo(1000);
        assertThat(issued.path("coupon").path("storeName").asText()).startsWith("Store ");

        assertThat(issuedCount(couponId)).isEqualTo(1);
        assertThat(api.get(COUPONS + "/" + couponId).json().path("issuedQuantity").asLong()).isEqualTo(1);
        assertThat(outboxRows(couponId)).extracting(row -> row.get("type")).contains("COUPON_CLAIMED");
    }

    @Test
    void claimWhenValidUntilEarlierThanRelativeThenValidUntilWins() {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "short", 5);
        Instant until = now().plus(Duration.ofDays(2));
        body.put("validUntil", until.toString());
        long couponId = publish(store[0], body).path("id").asLong();

        assertThat(Instant.parse(claim(couponId, newUserId()).json().path("expiresAt").asText())).isEqualTo(until);
    }

    @Test
    void claimWhenLimitReachedThenConflict() {
        long couponId = openCoupon(10, 1);
        long user = newUserId();
        assertThat(claim(couponId, user).status()).isEqualTo(201);

        assertProblem(claim(couponId, user), 409, "CLAIM_LIMIT_REACHED", COUPONS + "/" + couponId + "/claim");
        assertThat(issuedCount(couponId)).isEqualTo(1);
    }

    @Test
    void claimWithPerUserLimitThreeThenThreeThenConflict() {
        long couponId = openCoupon(10, 3);
        long user = newUserId();
        for (int i = 0; i < 3; i++) {
            assertThat(claim(couponId, user).status()).isEqualTo(201);
        }
        assertProblem(claim(couponId, user), 409, "CLAIM_LIMIT_REACHED", COUPONS + "/" + couponId + "/claim");
        assertThat(jdbc.queryForList("SELECT user_seq FROM issued_coupons WHERE coupon_id = ? ORDER BY user_seq",
                Integer.class, couponId)).containsExactly(1, 2, 3);
    }

    @Test
    void claimWhenSoldOutThenConflict() {
        long couponId = openCoupon(2, 1);
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);

        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");
        assertThat(api.get(COUPONS + "/" + couponId).json().path("status").asText()).isEqualTo("SOLD_OUT");
    }

    @Test
    void claimBeforeStartThenWindowClosed() {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "later", 5);
        body.put("issueStartsAt", now().plus(Duration.ofHours(1)).toString());
        long couponId = publish(store[0], body).path("id").asLong();

        assertProblem(claim(couponId, newUserId()), 422, "CLAIM_WINDOW_CLOSED", COUPONS + "/" + couponId + "/claim");
    }

    @Test
    void claimAfterEndThenWindowClosed() {
        long couponId = openCoupon(5, 1);
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201); // the Redis state exists
        jdbc.update("UPDATE coupons SET issue_ends_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(5)), couponId);

        assertProblem(claim(couponId, newUserId()), 422, "CLAIM_WINDOW_CLOSED", COUPONS + "/" + couponId + "/claim");
        assertThat(api.get(COUPONS + "/" + couponId).json().path("status").asText()).isEqualTo("ENDED");
    }

    @Test
    void claimWhenUnknownCouponThenNotFound() {
        assertProblem(claim(999_999_999L, newUserId()), 404, "COUPON_NOT_FOUND", COUPONS + "/999999999/claim");
    }

    @Test
    void claimWhenNotShopperThenForbidden() {
        long couponId = openCoupon(5, 1);
        String path = COUPONS + "/" + couponId + "/claim";
        assertProblem(api.send("POST", path, null, owner(newUserId())), 403, "FORBIDDEN", path);
        assertProblem(api.send("POST", path, null), 401, "UNAUTHORIZED", path);
    }

    @Test
    void claimWhenIdempotencyKeyInvalidThenBadRequest() {
        long couponId = openCoupon(5, 1);
        String path = COUPONS + "/" + couponId + "/claim";
        assertProblem(claim(couponId, newUserId(), "Idempotency-Key", "k".repeat(101)), 400, "VALIDATION_FAILED",
                path);
        assertThat(issuedCount(couponId)).isZero();
    }

    @Test
    void claimRepeatedWithSameKeyThenFirstAnswerAndNothingNew() {
        long couponId = openCoupon(5, 2);
        long user = newUserId();
        String key = token();

        JsonNode first = claim(couponId, user, "Idempotency-Key", key).json();
        ApiClient.Response again = claim(couponId, user, "Idempotency-Key", key);

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("id").asLong()).isEqualTo(first.path("id").asLong());
        assertThat(again.json().path("code").asText()).isEqualTo(first.path("code").asText());
        assertThat(issuedCount(couponId)).isEqualTo(1);

        // another user with the same key is another request
        assertThat(claim(couponId, newUserId(), "Idempotency-Key", key).json().path("id").asLong())
                .isNotEqualTo(first.path("id").asLong());
        // Redis forgot the answer: MySQL still knows the key
        redis.delete("idem:" + user + ":" + key);
        assertThat(claim(couponId, user, "Idempotency-Key", key).json().path("id").asLong())
                .isEqualTo(first.path("id").asLong());
        assertThat(issuedCount(couponId)).isEqualTo(2);
    }

    @Test
    void claimRepeatedWithSameKeyAfterErrorThenSameError() {
        long couponId = openCoupon(1, 1);
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);
        long user = newUserId();
        String key = token();
        String path = COUPONS + "/" + couponId + "/claim";

        assertProblem(claim(couponId, user, "Idempotency-Key", key), 409, "SOLD_OUT", path);
        assertProblem(claim(couponId, user, "Idempotency-Key", key), 409, "SOLD_OUT", path);
    }

    @Test
    void claimConcurrentlyWithSameKeyThenOneIssue() throws Exception {
        long couponId = openCoupon(10, 5);
        long user = newUserId();
        String key = token();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<ApiClient.Response> call = () -> claim(couponId, user, "Idempotency-Key", key);
                answers.add(pool.submit(call));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<ApiClient.Response> answer : answers) {
                ApiClient.Response response = answer.get();
                assertThat(response.status()).as(response.toString()).isEqualTo(201);
                ids.add(response.json().path("id").asLong());
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(issuedCount(couponId)).isEqualTo(1);
    }
}
