package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PublishCouponIT extends CouponServiceItSupport {

    @Test
    void publishWhenOwnerThenCreatedWithDefaultsAndEvent() {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "  Latte 1000 off  ", 50);

        ApiClient.Response response = api.post(COUPONS, body, owner(store[0]));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode coupon = response.json();
        assertThat(response.header("Location")).isEqualTo(COUPONS + "/" + coupon.path("id").asLong());
        assertThat(coupon.path("storeId").asLong()).isEqualTo(store[1]);
        assertThat(coupon.path("storeName").asText()).startsWith("Store ");
        assertThat(coupon.path("name").asText()).isEqualTo("Latte 1000 off");
        assertThat(coupon.path("discountType").asText()).isEqualTo("FIXED");
        assertThat(coupon.path("minOrderAmount").asLong()).isZero();
        assertThat(coupon.path("maxDiscountAmount").isNull()).isTrue();
        assertThat(coupon.path("perUserLimit").asInt()).isEqualTo(1);
        assertThat(coupon.path("totalQuantity").asLong()).isEqualTo(50);
        assertThat(coupon.path("issuedQuantity").asLong()).isZero();
        assertThat(coupon.path("remainingQuantity").asLong()).isEqualTo(50);
        assertThat(coupon.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(coupon.path("createdAt").asText()).isNotBlank();

        List<Map<String, Object>> events = outboxRows(coupon.path("id").asLong());
        assertThat(events).extracting(row -> row.get("type")).containsOnly("COUPON_PUBLISHED");
        assertThat(events).hasSize(1);
        assertThat(events).extracting(row -> row.get("destination")).as("NULL: every queue").containsOnlyNulls();
    }

    @Test
    void publishWhenStartInFutureThenScheduled() {
        long[] store = newStore("FOOD");
        Map<String, Object> body = couponBody(store[1], "Later", 5);
        body.put("issueStartsAt", now().plus(Duration.ofHours(1)).toString());

        assertThat(publish(store[0], body).path("status").asText()).isEqualTo("SCHEDULED");
    }

    @Test
    void publishWhenShopperThenForbidden() {
        long[] store = newStore("CAFE");
        assertProblem(api.post(COUPONS, couponBody(store[1], "x", 1), shopper(store[0])), 403, "FORBIDDEN", COUPONS);
    }

    @Test
    void publishWithoutIdentityThenUnauthorized() {
        long[] store = newStore("CAFE");
        assertProblem(api.post(COUPONS, couponBody(store[1], "x", 1)), 401, "UNAUTHORIZED", COUPONS);
    }

    @Test
    void publishWhenAnotherOwnersStoreThenNotStoreOwner() {
        long[] store = newStore("CAFE");
        assertProblem(api.post(COUPONS, couponBody(store[1], "x", 1), owner(newUserId())), 403, "NOT_STORE_OWNER",
                COUPONS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM coupons WHERE store_id = ?", Long.class, store[1]))
                .isZero();
    }

    @Test
    void publishWhenUnknownOrDeletedStoreThenStoreNotFound() {
        assertProblem(api.post(COUPONS, couponBody(987_654_321L, "x", 1), owner(newUserId())), 404,
                "STORE_NOT_FOUND", COUPONS);
        long[] store = newStore("CAFE");
        stores.delete(store[1]);
        assertProblem(api.post(COUPONS, couponBody(store[1], "x", 1), owner(store[0])), 404, "STORE_NOT_FOUND",
                COUPONS);
    }

    @Test
    void publishWhenFieldsInvalidThenEachIsNamed() {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "", 0);
        body.put("discountValue", 0);
        body.put("minOrderAmount", -1);
        body.put("perUserLimit", 0);
        body.put("description", "d".repeat(1001));

        JsonNode problem = assertProblem(api.post(COUPONS, body, owner(store[0])), 400, "VALIDATION_FAILED", COUPONS);

        assertThat(errorFields(problem)).contains("name", "totalQuantity", "discountValue", "minOrderAmount",
                "perUserLimit", "description");
    }

    @Test
    void publishWhenRulesAcrossFieldsBrokenThenValidationFailed() {
        long[] store = newStore("CAFE");
        Map<String, Object> percent = couponBody(store[1], "p", 10);
        percent.put("discountType", "PERCENT");
        percent.put("discountValue", 101);
        percent.remove("validDaysAfterIssue");
        assertThat(errorFields(assertProblem(api.post(COUPONS, percent, owner(store[0])), 400, "VALIDATION_FAILED",
                COUPONS))).contains("discountValue", "validUntil");

        Map<String, Object> fixedWithCap = couponBody(store[1], "f", 10);
        fixedWithCap.put("maxDiscountAmount", 500);
        fixedWithCap.put("issueEndsAt", now().minus(Duration.ofHours(2)).toString());
        fixedWithCap.put("validUntil", now().minus(Duration.ofHours(3)).toString());
        assertThat(errorFields(assertProblem(api.post(COUPONS, fixedWithCap, owner(store[0])), 400,
                "VALIDATION_FAILED", COUPONS))).contains("maxDiscountAmount", "issueEndsAt", "validUntil");

        Map<String, Object> tooMany = couponBody(store[1], "t", 10_000_001);
        tooMany.put("discountType", "HALF");
        assertThat(assertProblem(api.post(COUPONS, tooMany, owner(store[0])), 400, "VALIDATION_FAILED", COUPONS)
                .path("errors").toString()).contains("discountType");
    }

    @Test
    void getWhenUnknownThenCouponNotFound() {
        assertProblem(api.get(COUPONS + "/999999999"), 404, "COUPON_NOT_FOUND", COUPONS + "/999999999");
    }

    @Test
    void searchPathIsNotTakenForACouponId() {
        // served by the search endpoint (q missing), not read as GET /api/v1/coupons/{id}
        assertProblem(api.get(COUPONS + "/search"), 400, "VALIDATION_FAILED", COUPONS + "/search");
    }

    @Test
    void endWhenOwnerThenEndedAndClaimsRefused() {
        long[] store = newStore("CAFE");
        long id = publish(store[0], couponBody(store[1], "End me", 5)).path("id").asLong();
        String path = COUPONS + "/" + id + "/end";

        assertProblem(api.post(path, null, owner(newUserId())), 403, "NOT_STORE_OWNER", path);
        ApiClient.Response ended = api.post(path, null, owner(store[0]));
        assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
        assertThat(ended.json().path("status").asText()).isEqualTo("ENDED");
        assertThat(api.post(path, null, owner(store[0])).json().path("status").asText()).isEqualTo("ENDED");
        assertThat(outboxRows(id)).extracting(row -> row.get("type"))
                .containsOnly("COUPON_PUBLISHED", "COUPON_ENDED").hasSize(2);

        assertProblem(claim(id, newUserId()), 422, "CLAIM_WINDOW_CLOSED", COUPONS + "/" + id + "/claim");
        assertProblem(api.post(COUPONS + "/999999999/end", null, owner(store[0])), 404, "COUPON_NOT_FOUND",
                COUPONS + "/999999999/end");
    }

    @Test
    void listFiltersByStoreCategoryStatusAndText() {
        long[] store = newStore("BEAUTY");
        String tag = token();
        long active = publish(store[0], couponBody(store[1], tag + " nails 50%_off", 5)).path("id").asLong();
        Map<String, Object> later = couponBody(store[1], tag + " later", 5);
        later.put("issueStartsAt", now().plus(Duration.ofHours(2)).toString());
        long scheduled = publish(store[0], later).path("id").asLong();
        long ended = publish(store[0], couponBody(store[1], tag + " gone", 5)).path("id").asLong();
        api.post(COUPONS + "/" + ended + "/end", null, owner(store[0]));

        assertThat(ids(api.get(COUPONS + "?storeId=" + store[1]).json())).containsExactly(ended, scheduled, active);
        assertThat(ids(api.get(COUPONS + "?storeId=" + store[1] + "&status=ACTIVE").json())).containsExactly(active);
        assertThat(ids(api.get(COUPONS + "?storeId=" + store[1] + "&status=SCHEDULED").json()))
                .containsExactly(scheduled);
        assertThat(ids(api.get(COUPONS + "?storeId=" + store[1] + "&status=ENDED").json())).containsExactly(ended);
        assertThat(ids(api.get(COUPONS + "?q=" + tag + "%20NAILS%2050%25_").json())).containsExactly(active);
        assertThat(ids(api.get(COUPONS + "?q=" + tag + "%25").json())).isEmpty();
        assertThat(ids(api.get(COUPONS + "?storeId=" + store[1] + "&category=BEAUTY").json())).hasSize(3);
        assertThat(ids(api.get(COUPONS + "?storeId=" + store[1] + "&category=FOOD").json())).isEmpty();
        assertThat(ids(api.get(COUPONS + "?storeId=" + store[1] + "&sort=endingSoon").json()).get(0)).isEqualTo(active);

        JsonNode page = api.get(COUPONS + "?storeId=" + store[1] + "&size=2&page=1").json();
        assertThat(page.path("totalElements").asLong()).isEqualTo(3);
        assertThat(page.path("totalPages").asInt()).isEqualTo(2);
        assertThat(ids(page)).containsExactly(active);

        assertProblem(api.get(COUPONS + "?size=101"), 400, "VALIDATION_FAILED", COUPONS);
        // API.md "pages": (page + 1) * size may not exceed 10,000
        assertThat(api.get(COUPONS + "?page=99&size=100").status()).isEqualTo(200);
        for (String deep : List.of("?page=100&size=100", "?page=500", "?page=2147483647")) {
            assertThat(errorFields(assertProblem(api.get(COUPONS + deep), 400, "VALIDATION_FAILED", COUPONS)))
                    .as(deep).containsExactly("page");
        }
        assertProblem(api.get(COUPONS + "?status=LIVE"), 400, "VALIDATION_FAILED", COUPONS);
        assertProblem(api.get(COUPONS + "?category=SHOES"), 400, "VALIDATION_FAILED", COUPONS);
    }

    @Test
    void listPopularOrdersByIssued() {
        long[] store = newStore("OTHER");
        long few = publish(store[0], couponBody(store[1], "few", 5)).path("id").asLong();
        long many = publish(store[0], couponBody(store[1], "many", 5)).path("id").asLong();
        claim(many, newUserId());
        claim(many, newUserId());
        claim(few, newUserId());

        JsonNode page = api.get(COUPONS + "?storeId=" + store[1] + "&sort=popular").json();
        assertThat(ids(page)).containsExactly(many, few);
        assertThat(page.path("content").get(0).path("issuedQuantity").asLong()).isEqualTo(2);
        assertThat(page.path("content").get(0).path("remainingQuantity").asLong()).isEqualTo(3);
    }

    static List<Long> ids(JsonNode page) {
        List<Long> ids = new java.util.ArrayList<>();
        page.path("content").forEach(coupon -> ids.add(coupon.path("id").asLong()));
        return ids;
    }
}
