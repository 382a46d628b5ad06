package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

/**
 * A store's server with one of the store's API keys, as the gateway forwards it ({@code X-User-Role: PARTNER},
 * {@code X-User-Store-Id}, {@code X-User-Key-Id}, no user): it acts for its store on the routes API.md marks "its
 * partner keys" and nowhere else; on another store's coupons (even of the same owner) it is refused.
 */
class PartnerAccessIT extends CouponServiceItSupport {

    private static final long KEY_ID = 77;

    private static String[] partner(long storeId) {
        return new String[] {"X-User-Role", "PARTNER", "X-User-Store-Id", Long.toString(storeId), "X-User-Key-Id",
                Long.toString(KEY_ID)};
    }

    @Test
    void partnerOfTheStoreThenListsExportsGrantsRedeemsPreviewsAndCancelsAtTheCounter() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Partner " + token(), 10)).path("id").asLong();
        long shopper = newUserId();
        String[] key = partner(store[1]);

        ApiClient.Response granted = api.post(COUPONS + "/" + couponId + "/grants", Map.of("userIds", List.of(shopper)),
                key);
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        String code = granted.json().path("issued").get(0).path("code").asText();
        JsonNode listed = api.get(COUPONS + "/" + couponId + "/issued-coupons", key).json();
        assertThat(listed.path("content").findValuesAsText("code")).containsExactly(code);
        ApiClient.Response csv = api.get(COUPONS + "/" + couponId + "/issued-coupons.csv", key);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).contains(code);

        Map<String, Object> order = Map.of("storeId", store[1], "code", code, "orderAmount", 5_000);
        ApiClient.Response preview = api.post("/api/v1/redemptions/preview", order, key);
        assertThat(preview.json().path("redeemable").asBoolean()).as(preview.toString()).isTrue();
        ApiClient.Response redeemed = api.post("/api/v1/redemptions", Map.of("storeId", store[1], "code", code,
                "orderId", "pos-1", "orderAmount", 5_000), key);
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
        assertThat(redeemed.json().path("channel").asText()).isEqualTo("COUNTER");
        // the store's redemption: its owner may undo what its key did
        ApiClient.Response cancelled = api.post("/api/v1/redemptions/cancel", Map.of("storeId", store[1], "code", code,
                "orderId", "pos-1"), owner(store[0]));
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(api.post("/api/v1/redemptions", Map.of("storeId", store[1], "code", code, "orderId", "pos-2",
                "orderAmount", 5_000), owner(store[0])).status()).isEqualTo(200);
        ApiClient.Response cancelledByKey = api.post("/api/v1/redemptions/cancel", Map.of("storeId", store[1],
                "code", code, "orderId", "pos-2"), key);
        assertThat(cancelledByKey.status()).as(cancelledByKey.toString()).isEqualTo(200);
        assertThat(cancelledByKey.json().path("status").asText()).isEqualTo("ISSUED");
    }

    @Test
    void partnerOfAnotherStoreOfTheSameOwnerThenRefusedOnEveryStoreRoute() {
        long[] store = newStore("FOOD");
        long otherStoreOfTheOwner = stores.addStore(store[0], "Second " + token(), "FOOD");
        long couponId = publish(store[0], couponBody(store[1], "Theirs " + token(), 10)).path("id").asLong();
        long shopper = newUserId();
        String code = claim(couponId, shopper).json().path("code").asText();
        String[] key = partner(otherStoreOfTheOwner);

        String issued = COUPONS + "/" + couponId + "/issued-coupons";
        assertProblem(api.get(issued, key), 403, "NOT_STORE_OWNER", issued);
        assertProblem(api.get(issued + ".csv", key), 403, "NOT_STORE_OWNER", issued + ".csv");
        String grants = COUPONS + "/" + couponId + "/grants";
        assertProblem(api.post(grants, Map.of("userIds", List.of(newUserId())), key), 403, "NOT_STORE_OWNER", grants);
        assertProblem(api.post("/api/v1/redemptions", Map.of("storeId", store[1], "code", code, "orderId", "x",
                "orderAmount", 5_000), key), 403, "NOT_STORE_OWNER", "/api/v1/redemptions");
        // its own store's id with this store's code: no such coupon at its store
        assertProblem(api.post("/api/v1/redemptions/preview", Map.of("storeId", otherStoreOfTheOwner, "code", code,
                "orderAmount", 5_000), key), 404, "ISSUED_COUPON_NOT_FOUND", "/api/v1/redemptions/preview");
        assertThat(issuedCount(couponId)).isEqualTo(1);
    }

    @Test
    void partnerOnAnyOtherRouteThenForbidden() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Elsewhere " + token(), 10)).path("id").asLong();
        String[] key = partner(store[1]);

        String claim = COUPONS + "/" + couponId + "/claim";
        assertProblem(api.post(claim, null, key), 403, "FORBIDDEN", claim);
        assertProblem(api.post(COUPONS, couponBody(store[1], "By key", 5), key), 403, "FORBIDDEN", COUPONS);
        String end = COUPONS + "/" + couponId + "/end";
        assertProblem(api.post(end, null, key), 403, "FORBIDDEN", end);
        assertProblem(api.patch(COUPONS + "/" + couponId, Map.of("name", "x"), key), 403, "FORBIDDEN",
                COUPONS + "/" + couponId);
        assertProblem(api.get("/api/v1/issued-coupons", key), 403, "FORBIDDEN", "/api/v1/issued-coupons");
        // a partner header set without its store or key is no caller at all
        assertProblem(api.get(COUPONS + "/" + couponId + "/issued-coupons", "X-User-Role", "PARTNER"), 401,
                "UNAUTHORIZED", COUPONS + "/" + couponId + "/issued-coupons");
        assertThat(issuedCount(couponId)).isZero();
    }
}
