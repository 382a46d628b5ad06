package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class IssuedAndRedemptionIT extends CouponServiceItSupport {

    private static final String ISSUED = "/api/v1/issued-coupons";

    /** A PERCENT 10 % coupon, min order 10,000, cap 3,000; answers {couponId, storeId, ownerId}. */
    private long[] percentCoupon() {
        long[] store = newStore("FOOD");
        Map<String, Object> body = couponBody(store[1], "Ten percent " + token(), 100);
        body.put("discountType", "PERCENT");
        body.put("discountValue", 10);
        body.put("minOrderAmount", 10_000);
        body.put("maxDiscountAmount", 3_000);
        body.put("perUserLimit", 5);
        return new long[] {publish(store[0], body).path("id").asLong(), store[1], store[0]};
    }

    private JsonNode claimed(long couponId, long user) {
        ApiClient.Response response = claim(couponId, user);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    @Test
    void listMineNewestFirstWithStatusFilterAndOnlyMine() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        long first = claimed(coupon[0], user).path("id").asLong();
        long second = claimed(coupon[0], user).path("id").asLong();
        long third = claimed(coupon[0], user).path("id").asLong();
        claimed(coupon[0], newUserId());
        jdbc.update("UPDATE issued_coupons SET expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), first);
        api.post(ISSUED + "/" + second + "/redeem", Map.of("orderId", "o-" + second, "orderAmount", 20_000),
                shopper(user));

        JsonNode all = api.get(ISSUED, shopper(user)).json();
        assertThat(PublishCouponIT.ids(all)).containsExactly(third, second, first);
        assertThat(all.path("content").get(2).path("status").asText()).isEqualTo("EXPIRED");
        assertThat(PublishCouponIT.ids(api.get(ISSUED + "?status=EXPIRED", shopper(user)).json()))
                .containsExactly(first);
        assertThat(errorFields(assertProblem(api.get(ISSUED + "?page=10000&size=1", shopper(user)), 400,
                "VALIDATION_FAILED", ISSUED))).containsExactly("page");
        assertThat(PublishCouponIT.ids(api.get(ISSUED + "?status=ISSUED", shopper(user)).json()))
                .containsExactly(third);
        assertThat(PublishCouponIT.ids(api.get(ISSUED + "?status=REDEEMED", shopper(user)).json()))
                .containsExactly(second);
        assertProblem(api.get(ISSUED, owner(user)), 403, "FORBIDDEN", ISSUED);
        assertProblem(api.get(ISSUED), 401, "UNAUTHORIZED", ISSUED);
    }

    @Test
    void ownerListsTheIssuedCouponsOfItsCouponNewestFirstAndNoOneElseCan() {
        long[] coupon = percentCoupon();
        long[] otherCoupon = percentCoupon();
        long shopperA = newUserId();
        long shopperB = newUserId();
        long first = claimed(coupon[0], shopperA).path("id").asLong();
        long second = claimed(coupon[0], shopperB).path("id").asLong();
        long third = claimed(coupon[0], shopperA).path("id").asLong();
        claimed(otherCoupon[0], shopperA);
        api.post(ISSUED + "/" + second + "/redeem", Map.of("orderId", "o-" + second, "orderAmount", 20_000),
                shopper(shopperB));
        String path = "/api/v1/coupons/" + coupon[0] + "/issued-coupons";

        JsonNode all = api.get(path, owner(coupon[2])).json();
        assertThat(PublishCouponIT.ids(all)).containsExactly(third, second, first);
        assertThat(all.path("totalElements").asLong()).isEqualTo(3);
        assertThat(all.path("content").get(1).path("userId").asLong()).isEqualTo(shopperB);
        assertThat(all.path("content").get(1).path("status").asText()).isEqualTo("REDEEMED");
        assertThat(all.path("content").get(0).path("code").asText()).hasSize(12);
        assertThat(PublishCouponIT.ids(api.get(path + "?status=REDEEMED", owner(coupon[2])).json()))
                .containsExactly(second);
        JsonNode firstPage = api.get(path + "?status=ISSUED&size=1", owner(coupon[2])).json();
        assertThat(PublishCouponIT.ids(firstPage)).containsExactly(third);
        assertThat(firstPage.path("totalElements").asLong()).isEqualTo(2);
        assertThat(PublishCouponIT.ids(api.get(path + "?status=ISSUED&size=1&page=1", owner(coupon[2])).json()))
                .containsExactly(first);

        assertProblem(api.get(path, owner(otherCoupon[2])), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.get(path, shopper(shopperA)), 403, "FORBIDDEN", path);
        assertProblem(api.get(path), 401, "UNAUTHORIZED", path);
        String unknown = "/api/v1/coupons/987654321/issued-coupons";
        assertProblem(api.get(unknown, owner(coupon[2])), 404, "COUPON_NOT_FOUND", unknown);
        assertThat(errorFields(assertProblem(api.get(path + "?size=0", owner(coupon[2])), 400, "VALIDATION_FAILED",
                path))).containsExactly("size");
        assertProblem(api.get(path + "?status=LOST", owner(coupon[2])), 400, "VALIDATION_FAILED", path);
    }

    @Test
    void getWhenSomeoneElsesThenNotFound() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        long id = claimed(coupon[0], user).path("id").asLong();

        assertThat(api.get(ISSUED + "/" + id, shopper(user)).json().path("id").asLong()).isEqualTo(id);
        assertProblem(api.get(ISSUED + "/" + id, shopper(newUserId())), 404, "ISSUED_COUPON_NOT_FOUND",
                ISSUED + "/" + id);
    }

    @Test
    void redeemThenDiscountAndSameOrderAgainIsTheSameRedemption() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        long id = claimed(coupon[0], user).path("id").asLong();
        String path = ISSUED + "/" + id + "/redeem";

        ApiClient.Response redeemed = api.post(path, Map.of("orderId", "order-1", "orderAmount", 25_000),
                shopper(user));
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
        JsonNode redemption = redeemed.json();
        assertThat(redemption.path("issuedCouponId").asLong()).isEqualTo(id);
        assertThat(redemption.path("orderId").asText()).isEqualTo("order-1");
        assertThat(redemption.path("orderAmount").asLong()).isEqualTo(25_000);
        assertThat(redemption.path("discountAmount").asLong()).isEqualTo(2_500);
        assertThat(redemption.path("finalAmount").asLong()).isEqualTo(22_500);
        assertThat(redemption.path("channel").asText()).isEqualTo("SELF");

        ApiClient.Response again = api.post(path, Map.of("orderId", "order-1", "orderAmount", 25_000), shopper(user));
        assertThat(again.json()).isEqualTo(redemption);
        assertProblem(api.post(path, Map.of("orderId", "order-2", "orderAmount", 25_000), shopper(user)), 409,
                "ALREADY_REDEEMED", path);
        assertThat(outboxRows(coupon[0])).extracting(row -> row.get("type")).filteredOn("COUPON_REDEEMED"::equals)
                .hasSize(1);
        JsonNode held = api.get(ISSUED + "/" + id, shopper(user)).json();
        assertThat(held.path("status").asText()).isEqualTo("REDEEMED");
        assertThat(held.path("orderId").asText()).isEqualTo("order-1");
        assertThat(held.path("discountAmount").asLong()).isEqualTo(2_500);
    }

    @Test
    void redeemWhenRulesBrokenThenMatchingErrors() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        long id = claimed(coupon[0], user).path("id").asLong();
        String path = ISSUED + "/" + id + "/redeem";

        assertProblem(api.post(path, Map.of("orderId", "o", "orderAmount", 9_999), shopper(user)), 422,
                "MIN_ORDER_NOT_MET", path);
        assertThat(errorFields(assertProblem(api.post(path, Map.of("orderId", "x".repeat(65), "orderAmount", 0),
                shopper(user)), 400, "VALIDATION_FAILED", path))).contains("orderId", "orderAmount");
        assertProblem(api.post(path, Map.of("orderId", "o", "orderAmount", 20_000), shopper(newUserId())), 404,
                "ISSUED_COUPON_NOT_FOUND", path);
        jdbc.update("UPDATE issued_coupons SET expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), id);
        assertProblem(api.post(path, Map.of("orderId", "o", "orderAmount", 20_000), shopper(user)), 422,
                "COUPON_EXPIRED", path);
    }

    @Test
    void cancelRedemptionThenIssuedAgainOrErrors() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        long id = claimed(coupon[0], user).path("id").asLong();
        String cancel = ISSUED + "/" + id + "/cancel-redemption";

        assertProblem(api.post(cancel, Map.of("orderId", "o"), shopper(user)), 409, "NOT_REDEEMED", cancel);
        api.post(ISSUED + "/" + id + "/redeem", Map.of("orderId", "o", "orderAmount", 50_000), shopper(user));
        assertProblem(api.post(cancel, Map.of("orderId", "other"), shopper(user)), 409, "ORDER_MISMATCH", cancel);

        ApiClient.Response cancelled = api.post(cancel, Map.of("orderId", "o"), shopper(user));
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("ISSUED");
        assertThat(cancelled.json().path("orderId").isNull()).isTrue();
        assertThat(outboxRows(coupon[0])).extracting(row -> row.get("type"))
                .contains("COUPON_REDEMPTION_CANCELLED");

        // redeemed again, then cancelled after expiry: back to EXPIRED
        api.post(ISSUED + "/" + id + "/redeem", Map.of("orderId", "o2", "orderAmount", 50_000), shopper(user));
        jdbc.update("UPDATE issued_coupons SET expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), id);
        assertThat(api.post(cancel, Map.of("orderId", "o2"), shopper(user)).json().path("status").asText())
                .isEqualTo("EXPIRED");
        // ... and announced as expired, once, after its cancellation, so the statistics count it
        assertThat(outboxRows(coupon[0])).extracting(row -> row.get("type"))
                .filteredOn(type -> List.of("COUPON_REDEEMED", "COUPON_REDEMPTION_CANCELLED", "COUPON_EXPIRED")
                        .contains(type))
                .containsExactly("COUPON_REDEEMED", "COUPON_REDEMPTION_CANCELLED", "COUPON_REDEEMED",
                        "COUPON_REDEMPTION_CANCELLED", "COUPON_EXPIRED");
    }

    @Test
    void redeemAtCounterByCodeOnlyForTheStoresOwnerAndItsCoupons() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        JsonNode unit = claimed(coupon[0], user);
        String code = unit.path("code").asText();
        String path = "/api/v1/redemptions";
        long[] otherStore = newStore("CAFE");
        publish(otherStore[0], couponBody(otherStore[1], "other", 1));

        assertProblem(api.post(path, Map.of("storeId", coupon[1], "code", code, "orderId", "c1", "orderAmount", 40_000),
                owner(otherStore[0])), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.post(path, Map.of("storeId", otherStore[1], "code", code, "orderId", "c1",
                "orderAmount", 40_000), owner(otherStore[0])), 404, "ISSUED_COUPON_NOT_FOUND", path);
        assertProblem(api.post(path, Map.of("storeId", coupon[1], "code", "NOPE23456789", "orderId", "c1",
                "orderAmount", 40_000), owner(coupon[2])), 404, "ISSUED_COUPON_NOT_FOUND", path);
        assertProblem(api.post(path, Map.of("storeId", coupon[1], "code", code, "orderId", "c1", "orderAmount", 40_000),
                shopper(user)), 403, "FORBIDDEN", path);

        ApiClient.Response redeemed = api.post(path, Map.of("storeId", coupon[1], "code", code.toLowerCase(),
                "orderId", "c1", "orderAmount", 40_000), owner(coupon[2]));
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
        assertThat(redeemed.json().path("discountAmount").asLong()).isEqualTo(3_000);
        assertThat(redeemed.json().path("finalAmount").asLong()).isEqualTo(37_000);
        assertThat(redeemed.json().path("channel").asText()).isEqualTo("COUNTER");
        assertProblem(api.post(path, Map.of("storeId", coupon[1], "code", code, "orderId", "c2", "orderAmount", 40_000),
                owner(coupon[2])), 409, "ALREADY_REDEEMED", path);
    }

    @Test
    void counterRedemptionThenOnlyTheStoreCancelsItAndTheHolderCannotReuseTheCoupon() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        JsonNode unit = claimed(coupon[0], user);
        long id = unit.path("id").asLong();
        String code = unit.path("code").asText();
        String holderCancel = ISSUED + "/" + id + "/cancel-redemption";
        String storeCancel = "/api/v1/redemptions/cancel";
        api.post("/api/v1/redemptions", Map.of("storeId", coupon[1], "code", code, "orderId", "pos-1",
                "orderAmount", 40_000), owner(coupon[2]));

        // the hole this closes: the holder undid the store's redemption and showed the same code again
        assertProblem(api.post(holderCancel, Map.of("orderId", "pos-1"), shopper(user)), 403, "NOT_REDEEMER",
                holderCancel);
        assertThat(api.get(ISSUED + "/" + id, shopper(user)).json().path("status").asText()).isEqualTo("REDEEMED");
        assertProblem(api.post("/api/v1/redemptions", Map.of("storeId", coupon[1], "code", code, "orderId", "pos-2",
                "orderAmount", 40_000), owner(coupon[2])), 409, "ALREADY_REDEEMED", "/api/v1/redemptions");

        // the store side: another owner, a shopper, a wrong order, an unknown code
        long[] otherStore = newStore("CAFE");
        assertProblem(api.post(storeCancel, Map.of("storeId", coupon[1], "code", code, "orderId", "pos-1"),
                owner(otherStore[0])), 403, "NOT_STORE_OWNER", storeCancel);
        assertProblem(api.post(storeCancel, Map.of("storeId", coupon[1], "code", code, "orderId", "pos-1"),
                shopper(user)), 403, "FORBIDDEN", storeCancel);
        assertProblem(api.post(storeCancel, Map.of("storeId", coupon[1], "code", code, "orderId", "pos-9"),
                owner(coupon[2])), 409, "ORDER_MISMATCH", storeCancel);
        assertProblem(api.post(storeCancel, Map.of("storeId", coupon[1], "code", "NOPE23456789", "orderId", "pos-1"),
                owner(coupon[2])), 404, "ISSUED_COUPON_NOT_FOUND", storeCancel);
        assertProblem(api.post(storeCancel, Map.of("storeId", coupon[1], "code", code), owner(coupon[2])), 400,
                "VALIDATION_FAILED", storeCancel);

        ApiClient.Response cancelled = api.post(storeCancel, Map.of("storeId", coupon[1], "code", code.toLowerCase(),
                "orderId", "pos-1"), owner(coupon[2]));
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("id").asLong()).isEqualTo(id);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("ISSUED");
        assertThat(jdbc.queryForObject("SELECT redemption_channel FROM issued_coupons WHERE id = ?", String.class, id))
                .isNull();
        assertProblem(api.post(storeCancel, Map.of("storeId", coupon[1], "code", code, "orderId", "pos-1"),
                owner(coupon[2])), 409, "NOT_REDEEMED", storeCancel);
        assertThat(outboxRows(coupon[0])).extracting(row -> row.get("type"))
                .filteredOn("COUPON_REDEMPTION_CANCELLED"::equals).hasSize(1);

        // the holder's own redemption is the holder's to cancel, not the store's
        api.post(ISSUED + "/" + id + "/redeem", Map.of("orderId", "web-1", "orderAmount", 40_000), shopper(user));
        assertProblem(api.post(storeCancel, Map.of("storeId", coupon[1], "code", code, "orderId", "web-1"),
                owner(coupon[2])), 403, "NOT_REDEEMER", storeCancel);
        assertThat(api.post(holderCancel, Map.of("orderId", "web-1"), shopper(user)).status()).isEqualTo(200);
    }

    @Test
    void previewsTellTheDiscountOrTheRefusalAndChangeNothing() {
        long[] coupon = percentCoupon();
        long user = newUserId();
        JsonNode unit = claimed(coupon[0], user);
        long id = unit.path("id").asLong();
        String code = unit.path("code").asText();
        String holderPreview = ISSUED + "/" + id + "/preview";
        String storePreview = "/api/v1/redemptions/preview";

        JsonNode preview = api.post(holderPreview, Map.of("orderAmount", 25_000), shopper(user)).json();
        assertThat(preview.path("redeemable").asBoolean()).isTrue();
        assertThat(preview.path("reason").isNull()).as(preview.toString()).isTrue();
        assertThat(preview.path("discountAmount").asLong()).isEqualTo(2_500);
        assertThat(preview.path("finalAmount").asLong()).isEqualTo(22_500);
        JsonNode atCounter = api.post(storePreview, Map.of("storeId", coupon[1], "code", code, "orderAmount", 50_000),
                owner(coupon[2])).json();
        assertThat(atCounter.path("discountAmount").asLong()).isEqualTo(3_000); // capped
        assertThat(atCounter.path("finalAmount").asLong()).isEqualTo(47_000);

        JsonNode tooSmall = api.post(holderPreview, Map.of("orderAmount", 9_000), shopper(user)).json();
        assertThat(tooSmall.path("redeemable").asBoolean()).isFalse();
        assertThat(tooSmall.path("reason").asText()).isEqualTo("MIN_ORDER_NOT_MET");
        assertThat(tooSmall.path("discountAmount").asLong()).isZero();
        assertThat(tooSmall.path("finalAmount").asLong()).isEqualTo(9_000);

        assertThat(jdbc.queryForObject("SELECT status FROM issued_coupons WHERE id = ?", String.class, id))
                .isEqualTo("ISSUED");
        assertThat(outboxRows(coupon[0])).extracting(row -> row.get("type")).doesNotContain("COUPON_REDEEMED");

        // not the holder's, another store's, not an owner, bad bodies
        assertProblem(api.post(holderPreview, Map.of("orderAmount", 25_000), shopper(newUserId())), 404,
                "ISSUED_COUPON_NOT_FOUND", holderPreview);
        long[] otherStore = newStore("CAFE");
        assertProblem(api.post(storePreview, Map.of("storeId", coupon[1], "code", code, "orderAmount", 50_000),
                owner(otherStore[0])), 403, "NOT_STORE_OWNER", storePreview);
        assertProblem(api.post(storePreview, Map.of("storeId", otherStore[1], "code", code, "orderAmount", 50_000),
                owner(otherStore[0])), 404, "ISSUED_COUPON_NOT_FOUND", storePreview);
        assertProblem(api.post(storePreview, Map.of("storeId", coupon[1], "code", code, "orderAmount", 50_000),
                shopper(user)), 403, "FORBIDDEN", storePreview);
        assertProblem(api.post(holderPreview, Map.of("orderAmount", 0), shopper(user)), 400, "VALIDATION_FAILED",
                holderPreview);

        api.post(ISSUED + "/" + id + "/redeem", Map.of("orderId", "o", "orderAmount", 25_000), shopper(user));
        assertThat(api.post(holderPreview, Map.of("orderAmount", 25_000), shopper(user)).json().path("reason")
                .asText()).isEqualTo("ALREADY_REDEEMED");
        jdbc.update("UPDATE issued_coupons SET status = 'ISSUED', redemption_channel = NULL, order_id = NULL, "
                + "expires_at = ? WHERE id = ?", java.sql.Timestamp.from(Instant.now().minusSeconds(1)), id);
        assertThat(api.post(storePreview, Map.of("storeId", coupon[1], "code", code, "orderAmount", 50_000),
                owner(coupon[2])).json().path("reason").asText()).isEqualTo("COUPON_EXPIRED");
    }

    @Test
    void codesNoCouponCanHaveThenUnknownWhateverTheirCharacters() {
        long[] coupon = percentCoupon();
        String code = claimed(coupon[0], newUserId()).path("code").asText();
        String path = "/api/v1/redemptions";
        // non-ASCII letters once answered 500 (the codes column is ASCII: MySQL refused to compare), as would NUL and
        // right-to-left marks; a look-alike symbol the alphabet leaves out, or a wrong length, is no code either
        List<String> notCodes = List.of("\uCFE0\uD3F0".repeat(6), "\u00C0" + code.substring(1), code.substring(1) + "\u0000",
                "\u202E" + code.substring(1), "O" + code.substring(1), code.substring(1), code + "2", " ", "\uD83C\uDF9F");
        for (String notCode : notCodes) {
            assertProblem(api.post(path, Map.of("storeId", coupon[1], "code", notCode, "orderId", "c1",
                    "orderAmount", 40_000), owner(coupon[2])), notCode.isBlank() ? 400 : 404,
                    notCode.isBlank() ? "VALIDATION_FAILED" : "ISSUED_COUPON_NOT_FOUND", path);
        }
        assertThat(jdbc.queryForObject("SELECT status FROM issued_coupons WHERE code = ?", String.class, code))
                .isEqualTo("ISSUED");
    }

    @Test
    void concurrentRedemptionsOfOneCouponThenExactlyOneWins() throws Exception {
        long[] coupon = percentCoupon();
        long user = newUserId();
        long id = claimed(coupon[0], user).path("id").asLong();
        int racers = 10;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String order = "race-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.post(ISSUED + "/" + id + "/redeem", Map.of("orderId", order, "orderAmount", 30_000),
                            shopper(user));
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<ApiClient.Response> answer : answers) {
                ApiClient.Response response = answer.get();
                if (response.status() == 200) {
                    won++;
                } else {
                    assertThat(response.json().path("code").asText()).as(response.toString())
                            .isEqualTo("ALREADY_REDEEMED");
                }
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(outboxRows(coupon[0])).extracting(row -> row.get("type")).filteredOn("COUPON_REDEEMED"::equals)
                .hasSize(1); // one event, one row for every destination queue
    }
}
