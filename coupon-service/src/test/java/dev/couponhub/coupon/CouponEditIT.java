package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /api/v1/coupons/{id}}: the owner changes the stock in the middle of a stampede and exactly the new total
 * is issued, a lowered stock never goes below what is issued, the window and the texts change, bad input changes
 * nothing.
 */
class CouponEditIT extends CouponServiceItSupport {

    private static final int SHOPPERS = 200;
    private static final int STOCK = 100;
    private static final int RAISED = 150;

    @Test
    void raisingTheStockWhile200ShoppersClaimThenExactlyTheNewTotalIsIssuedAndClaimableAtOnce() throws Exception {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Stampede " + token(), STOCK)).path("id").asLong();
        List<Long> shoppers = new ArrayList<>();
        for (int i = 0; i < SHOPPERS; i++) {
            shoppers.add(newUserId());
        }
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch raised = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(STOCK / 2);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (long shopper : shoppers) {
                futures.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        boolean afterRaise = raised.getCount() == 0;
                        ApiClient.Response response = claim(couponId, shopper);
                        answered.countDown();
                        if (response.status() == 201) {
                            outcomes.computeIfAbsent("issued", k -> new AtomicInteger()).incrementAndGet();
                            return null;
                        }
                        assertProblem(response, 409, "SOLD_OUT", "/api/v1/coupons/" + couponId + "/claim");
                        if (afterRaise) {
                            // sent after the raise was answered: the new units were all claimable, and taken
                            outcomes.computeIfAbsent("soldOutAfterRaise", k -> new AtomicInteger()).incrementAndGet();
                            return null;
                        }
                        raised.await(); // refused before the raise: try again once it is answered
                    }
                }));
            }
            start.countDown();
            assertThat(answered.await(60, TimeUnit.SECONDS)).isTrue();
            ApiClient.Response raise = api.patch(COUPONS + "/" + couponId, Map.of("totalQuantity", RAISED),
                    owner(store[0]));
            raised.countDown();
            assertThat(raise.status()).as(raise.toString()).isEqualTo(200);
            assertThat(raise.json().path("totalQuantity").asLong()).isEqualTo(RAISED);
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes.get("issued").get()).as(outcomes.toString()).isEqualTo(RAISED);
        assertThat(outcomes.get("soldOutAfterRaise").get()).as(outcomes.toString()).isEqualTo(SHOPPERS - RAISED);
        assertThat(issuedCount(couponId)).isEqualTo(RAISED);
        assertThat(jdbc.queryForList("SELECT seq FROM issued_coupons WHERE coupon_id = ? ORDER BY seq", Long.class,
                couponId)).containsExactlyElementsOf(LongStream.rangeClosed(1, RAISED).boxed().toList());
        assertThat(jdbc.queryForMap("SELECT total_quantity, issued_quantity FROM coupons WHERE id = ?", couponId))
                .containsEntry("total_quantity", (long) RAISED).containsEntry("issued_quantity", (long) RAISED);
        JsonNode coupon = api.get(COUPONS + "/" + couponId).json();
        assertThat(coupon.path("status").asText()).isEqualTo("SOLD_OUT");
        assertThat(coupon.path("remainingQuantity").asLong()).isZero();
    }

    @Test
    void raisingASoldOutCouponThenTheNewUnitIsClaimableRightAway() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Raise " + token(), 2)).path("id").asLong();
        claimOk(couponId);
        claimOk(couponId);
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", null);

        ApiClient.Response raise = api.patch(COUPONS + "/" + couponId, Map.of("totalQuantity", 3), owner(store[0]));

        assertThat(raise.status()).as(raise.toString()).isEqualTo(200);
        assertThat(raise.json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(raise.json().path("remainingQuantity").asLong()).isEqualTo(1);
        claimOk(couponId);
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", null);
        assertThat(issuedCount(couponId)).isEqualTo(3);
    }

    @Test
    void loweringTheStockBelowTheIssuedUnitsIsRefusedAndToThemSellsOut() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Lower " + token(), 10)).path("id").asLong();
        for (int i = 0; i < 3; i++) {
            claimOk(couponId);
        }

        JsonNode problem = assertProblem(api.patch(COUPONS + "/" + couponId, Map.of("totalQuantity", 2,
                "name", "Not applied"), owner(store[0])), 409, "QUANTITY_BELOW_ISSUED", "/api/v1/coupons/" + couponId);
        assertThat(problem.path("detail").asText()).contains("3");
        JsonNode unchanged = api.get(COUPONS + "/" + couponId).json();
        assertThat(unchanged.path("totalQuantity").asLong()).isEqualTo(10);
        assertThat(unchanged.path("name").asText()).startsWith("Lower ");

        ApiClient.Response lowered = api.patch(COUPONS + "/" + couponId, Map.of("totalQuantity", 3), owner(store[0]));

        assertThat(lowered.status()).as(lowered.toString()).isEqualTo(200);
        assertThat(lowered.json().path("status").asText()).isEqualTo("SOLD_OUT");
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", null);
        assertThat(issuedCount(couponId)).isEqualTo(3);
    }

    @Test
    void changingTheTextsAndTheEndThenTheCouponAndItsGateFollow() throws Exception {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Texts " + token(), 10)).path("id").asLong();
        claimOk(couponId); // the gate has a state to change
        String end = now().plusSeconds(3).toString();
        Map<String, Object> edit = new java.util.HashMap<>();
        edit.put("name", "  Renamed coupon  ");
        edit.put("description", "");
        edit.put("issueEndsAt", end);
        edit.put("totalQuantity", null); // null leaves it

        ApiClient.Response changed = api.patch(COUPONS + "/" + couponId, edit, owner(store[0]));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        JsonNode coupon = api.get(COUPONS + "/" + couponId).json();
        assertThat(coupon.path("name").asText()).isEqualTo("Renamed coupon");
        assertThat(coupon.path("description").asText(null)).isNull();
        assertThat(coupon.path("issueEndsAt").asText()).isEqualTo(end);
        assertThat(coupon.path("totalQuantity").asLong()).isEqualTo(10);
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:meta", "end"))
                .isEqualTo(Long.toString(java.time.Instant.parse(end).toEpochMilli()));
        claimOk(couponId);

        Thread.sleep(Duration.between(java.time.Instant.now(), java.time.Instant.parse(end)).toMillis() + 200);

        assertProblem(claim(couponId, newUserId()), 422, "CLAIM_WINDOW_CLOSED", null);
        assertThat(api.get(COUPONS + "/" + couponId).json().path("status").asText()).isEqualTo("ENDED");
    }

    @Test
    void anEndedCouponStaysEndedWhenItsStockIsRaised() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Ended " + token(), 1)).path("id").asLong();
        assertThat(api.post(COUPONS + "/" + couponId + "/end", null, owner(store[0])).status()).isEqualTo(200);

        ApiClient.Response raise = api.patch(COUPONS + "/" + couponId, Map.of("totalQuantity", 5,
                "issueEndsAt", now().plus(Duration.ofDays(2)).toString()), owner(store[0]));

        assertThat(raise.status()).as(raise.toString()).isEqualTo(200);
        assertThat(raise.json().path("status").asText()).isEqualTo("ENDED");
        assertProblem(claim(couponId, newUserId()), 422, "CLAIM_WINDOW_CLOSED", null);
    }

    @Test
    void badEditsAre400AndChangeNothing() {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "Bad " + token(), 10);
        body.put("validUntil", now().plus(Duration.ofDays(3)).toString());
        JsonNode published = publish(store[0], body);
        String path = COUPONS + "/" + published.path("id").asLong();

        List<Map<String, Object>> bad = List.of(
                Map.of("issueEndsAt", now().minusSeconds(1).toString()),
                Map.of("issueEndsAt", now().plus(Duration.ofDays(4)).toString()),
                Map.of("name", "   "),
                Map.of("name", "x".repeat(101)),
                Map.of("description", "x".repeat(1001)),
                Map.of("totalQuantity", 0),
                Map.of("totalQuantity", 10_000_001),
                Map.of("totalQuantity", "many"));
        List<String> fields = List.of("issueEndsAt", "issueEndsAt", "name", "name", "description", "totalQuantity",
                "totalQuantity", "totalQuantity");
        for (int i = 0; i < bad.size(); i++) {
            JsonNode problem = assertProblem(api.patch(path, bad.get(i), owner(store[0])), 400, "VALIDATION_FAILED",
                    path);
            assertThat(errorFields(problem)).as(bad.get(i).toString()).contains(fields.get(i));
        }
        assertProblem(api.send("PATCH", path, "{\"name\": ", owner(store[0])), 400, "VALIDATION_FAILED", path);

        JsonNode after = api.get(path).json();
        assertThat(after.path("name").asText()).isEqualTo(published.path("name").asText());
        assertThat(after.path("totalQuantity").asLong()).isEqualTo(10);
        assertThat(after.path("issueEndsAt").asText()).isEqualTo(published.path("issueEndsAt").asText());
    }

    @Test
    void anotherOwnersOrAnUnknownCouponIsRefused() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Mine " + token(), 10)).path("id").asLong();
        String path = COUPONS + "/" + couponId;

        assertProblem(api.patch(path, Map.of("totalQuantity", 20), owner(newUserId())), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.patch(path, Map.of("totalQuantity", 20), shopper(newUserId())), 403, "NOT_STORE_OWNER",
                path);
        assertProblem(api.patch(COUPONS + "/987654321987", Map.of("name", "x"), owner(store[0])), 404,
                "COUPON_NOT_FOUND", COUPONS + "/987654321987");
        assertThat(api.get(path).json().path("totalQuantity").asLong()).isEqualTo(10);
    }

    private void claimOk(long couponId) {
        ApiClient.Response response = claim(couponId, newUserId());
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }
}
