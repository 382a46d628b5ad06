package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/**
 * {@code POST /api/v1/coupons/{id}/grants}: a store gives shoppers a unit each, through the claims' gate. Exact when
 * grants and shoppers' claims race for the last units (stock, per-user and daily limits), answered per user,
 * idempotent with a key, and refused as a whole only for the coupon, the caller or the body.
 */
class GrantIT extends CouponServiceItSupport {

    @Test
    void grantsAndClaimsRacingForTheLastUnitsThenExactlyTheStockAndEveryShopperWithinTheDailyLimit() throws Exception {
        int stock = 300;
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "Race " + token(), stock);
        body.put("perUserLimit", 3);
        body.put("perUserDailyLimit", 1);
        long couponId = publish(store[0], body).path("id").asLong();
        // 400 shoppers: each is in one of four grants of 100, and claims twice for themselves at the same moment
        List<Long> shoppers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            shoppers.add(newUserId());
        }
        List<Long> claimers = new ArrayList<>();
        for (long shopper : shoppers) {
            claimers.add(shopper);
            claimers.add(shopper);
        }
        Collections.shuffle(claimers);
        Map<String, AtomicInteger> claimOutcomes = new ConcurrentHashMap<>();
        List<JsonNode> grantAnswers = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int g = 0; g < 4; g++) {
                List<Long> granted = shoppers.subList(g * 100, (g + 1) * 100);
                futures.add(pool.submit(() -> {
                    start.await();
                    ApiClient.Response response = grant(couponId, store[0], granted);
                    assertThat(response.status()).as(response.toString()).isEqualTo(200);
                    grantAnswers.add(response.json());
                    return null;
                }));
            }
            for (long shopper : claimers) {
                futures.add(pool.submit(() -> {
                    start.await();
                    ApiClient.Response response = claim(couponId, shopper);
                    String outcome = response.status() == 201 ? "201"
                            : response.status() + " " + response.json().path("code").asText();
                    claimOutcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int grantedUnits = 0;
        Map<String, Integer> grantRefusals = new HashMap<>();
        Map<Long, Long> grantedIds = new HashMap<>();
        for (JsonNode answer : grantAnswers) {
            assertThat(answer.path("issued").size() + answer.path("refused").size()).isEqualTo(100);
            grantedUnits += answer.path("issued").size();
            answer.path("issued").forEach(unit -> grantedIds.put(unit.path("issuedCouponId").asLong(),
                    unit.path("userId").asLong()));
            answer.path("refused").forEach(refusal -> grantRefusals.merge(refusal.path("code").asText(), 1,
                    Integer::sum));
        }
        assertThat(claimOutcomes.keySet()).as(claimOutcomes.toString())
                .containsAnyOf("201").isSubsetOf("201", "409 SOLD_OUT", "409 DAILY_LIMIT_REACHED");
        assertThat(grantRefusals.keySet()).as(grantRefusals.toString())
                .isSubsetOf("SOLD_OUT", "DAILY_LIMIT_REACHED");
        int claimedUnits = claimOutcomes.getOrDefault("201", new AtomicInteger()).get();
        assertThat(grantedUnits).as("units granted").isPositive();
        assertThat(grantedUnits + claimedUnits).as("grants and claims answered issued").isEqualTo(stock);
        assertThat(issuedCount(couponId)).isEqualTo(stock);
        assertThat(jdbc.queryForObject("SELECT issued_quantity FROM coupons WHERE id = ?", Long.class, couponId))
                .isEqualTo(stock);
        // one unit a day per shopper, whoever asked for it
        assertThat(jdbc.queryForObject("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM issued_coupons "
                + "WHERE coupon_id = ? GROUP BY user_id) per_user", Long.class, couponId)).isEqualTo(1);
        // each granted unit is the row of the user it was answered for, and is announced as a grant
        grantedIds.forEach((issuedId, userId) -> assertThat(jdbc.queryForObject(
                "SELECT user_id FROM issued_coupons WHERE id = ?", Long.class, issuedId)).isEqualTo(userId));
        Map<String, Long> events = new HashMap<>();
        outboxRows(couponId).forEach(row -> events.merge((String) row.get("type"), 1L, Long::sum));
        assertThat(events).containsEntry("COUPON_GRANTED", (long) grantedUnits)
                .containsEntry("COUPON_CLAIMED", (long) claimedUnits);
    }

    @Test
    void aThousandShoppersInOneGrantThenAThousandUnitsEachAnnounced() {
        long[] store = newStore("BEAUTY");
        long couponId = publish(store[0], couponBody(store[1], "Thousand " + token(), 1000)).path("id").asLong();
        List<Long> shoppers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            shoppers.add(newUserId());
        }

        long started = System.nanoTime();
        ApiClient.Response response = grant(couponId, store[0], shoppers);
        System.out.printf("GRANT 1000 users: %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("issued").findValuesAsText("userId"))
                .containsExactlyElementsOf(shoppers.stream().map(String::valueOf).toList());
        assertThat(response.json().path("refused")).isEmpty();
        assertThat(issuedCount(couponId)).isEqualTo(1000);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_events WHERE aggregate_id = ? "
                + "AND type = 'COUPON_GRANTED'", Long.class, couponId)).isEqualTo(1000);
    }

    @Test
    void duplicatesUnknownUsersOwnersAndShoppersAtTheirLimitThenAnsweredPerUserInOrder() {
        long[] store = newStore("FOOD");
        long couponId = publish(store[0], couponBody(store[1], "Per user " + token(), 100)).path("id").asLong();
        long first = newUserId();
        long atLimit = newUserId();
        long unknown = newUserId();
        long owner = newUserId();
        long second = newUserId();
        users.unknown(unknown);
        users.owner(owner);
        assertThat(claim(couponId, atLimit).status()).isEqualTo(201); // perUserLimit 1

        ApiClient.Response response = grant(couponId, store[0], List.of(first, atLimit, unknown, first, owner, second));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode answer = response.json();
        assertThat(answer.path("issued").findValuesAsText("userId"))
                .containsExactly(Long.toString(first), Long.toString(second));
        answer.path("issued").forEach(unit -> {
            assertThat(unit.path("code").asText()).hasSize(12);
            assertThat(jdbc.queryForObject("SELECT code FROM issued_coupons WHERE id = ? AND user_id = ?",
                    String.class, unit.path("issuedCouponId").asLong(), unit.path("userId").asLong()))
                    .isEqualTo(unit.path("code").asText());
        });
        assertThat(refusals(answer)).containsExactly(Map.entry(atLimit, "CLAIM_LIMIT_REACHED"),
                Map.entry(unknown, "USER_NOT_FOUND"), Map.entry(owner, "NOT_A_SHOPPER"));
        assertThat(issuedCount(couponId)).isEqualTo(3);

        // the shopper sees the granted unit among their coupons
        JsonNode mine = api.get("/api/v1/issued-coupons", shopper(first)).json();
        assertThat(mine.path("content").findValuesAsText("couponId")).containsExactly(Long.toString(couponId));
    }

    @Test
    void repeatWithTheSameKeyAnswersEachUserTheSameAndIssuesNothingNew() {
        long[] store = newStore("CAFE");
        Map<String, Object> body = couponBody(store[1], "Once " + token(), 2);
        body.put("perUserLimit", 2);
        long couponId = publish(store[0], body).path("id").asLong();
        long a = newUserId();
        long b = newUserId();
        long c = newUserId();
        String key = "grant-" + token();

        JsonNode first = grant(couponId, store[0], List.of(a, b), "Idempotency-Key", key).json();
        assertThat(first.path("issued")).hasSize(2);
        // another shopper takes nothing from the repeat: the stock is gone, and the repeat issues no more
        JsonNode repeat = grant(couponId, store[0], List.of(b, a), "Idempotency-Key", key).json();
        assertThat(issuedOf(repeat)).isEqualTo(issuedOf(first));
        assertThat(issuedCount(couponId)).isEqualTo(2);
        // a user the first request did not name is granted (here: refused, the stock being gone)
        JsonNode wider = grant(couponId, store[0], List.of(a, c), "Idempotency-Key", key).json();
        assertThat(issuedOf(wider)).containsEntry(a, issuedOf(first).get(a)).hasSize(1);
        assertThat(refusals(wider)).containsExactly(Map.entry(c, "SOLD_OUT"));
        // without the key, a grant is a new one: refused for the stock, not answered from the first
        assertThat(refusals(grant(couponId, store[0], List.of(a)).json()))
                .containsExactly(Map.entry(a, "SOLD_OUT"));
        // the shopper's own key of the same text is the shopper's, not the grant's
        long roomy = openCoupon(5, 2);
        assertThat(claim(roomy, a, "Idempotency-Key", key).status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_events WHERE aggregate_id = ? "
                + "AND type = 'COUPON_GRANTED'", Long.class, couponId)).isEqualTo(2);
    }

    @Test
    void theCouponTheCallerOrTheBodyWrongThenRefusedAsAWholeAndNothingIssued() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Whole " + token(), 10)).path("id").asLong();
        String path = COUPONS + "/" + couponId + "/grants";
        long shopper = newUserId();

        assertProblem(grant(couponId, newUserId(), List.of(shopper)), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.post(path, Map.of("userIds", List.of(shopper)), shopper(shopper)), 403, "FORBIDDEN", path);
        assertProblem(grant(987_654_321_987L, store[0], List.of(shopper)), 404, "COUPON_NOT_FOUND",
                COUPONS + "/987654321987/grants");
        List<Long> tooMany = new ArrayList<>();
        for (long i = 1; i <= 1001; i++) {
            tooMany.add(i);
        }
        assertThat(errorFields(assertProblem(grant(couponId, store[0], tooMany), 400, "VALIDATION_FAILED", path)))
                .containsExactly("userIds");
        assertThat(errorFields(assertProblem(grant(couponId, store[0], List.of()), 400, "VALIDATION_FAILED", path)))
                .containsExactly("userIds");
        assertThat(errorFields(assertProblem(grant(couponId, store[0], List.of(shopper, -4L)), 400,
                "VALIDATION_FAILED", path))).containsExactly("userIds[1]");
        assertProblem(api.send("POST", path, "{\"userIds\": \"everyone\"}", owner(store[0])), 400,
                "VALIDATION_FAILED", path);
        assertProblem(api.send("POST", path, "{", owner(store[0])), 400, "VALIDATION_FAILED", path);
        assertProblem(grant(couponId, store[0], List.of(shopper), "Idempotency-Key", "x".repeat(101)), 400,
                "VALIDATION_FAILED", path);

        users.down(true);
        try {
            assertProblem(grant(couponId, store[0], List.of(shopper)), 503, "DEPENDENCY_UNAVAILABLE", path);
        } finally {
            users.down(false);
        }

        Map<String, Object> scheduled = couponBody(store[1], "Later " + token(), 10);
        scheduled.put("issueStartsAt", now().plus(Duration.ofHours(1)).toString());
        long later = publish(store[0], scheduled).path("id").asLong();
        assertProblem(grant(later, store[0], List.of(shopper)), 422, "CLAIM_WINDOW_CLOSED",
                COUPONS + "/" + later + "/grants");
        assertThat(api.post(COUPONS + "/" + couponId + "/end", null, owner(store[0])).status()).isEqualTo(200);
        assertProblem(grant(couponId, store[0], List.of(shopper)), 422, "CLAIM_WINDOW_CLOSED", path);

        assertThat(issuedCount(couponId)).isZero();
        assertThat(issuedCount(later)).isZero();
    }

    private ApiClient.Response grant(long couponId, long ownerId, List<Long> userIds, String... extraHeaders) {
        String[] base = owner(ownerId);
        String[] headers = new String[base.length + extraHeaders.length];
        System.arraycopy(base, 0, headers, 0, base.length);
        System.arraycopy(extraHeaders, 0, headers, base.length, extraHeaders.length);
        return api.post(COUPONS + "/" + couponId + "/grants", Map.of("userIds", userIds), headers);
    }

    /** The issued units of a grant's answer: user id to issued coupon id (and code), checked to be distinct users. */
    private static Map<Long, String> issuedOf(JsonNode answer) {
        Map<Long, String> issued = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        answer.path("issued").forEach(unit -> {
            assertThat(seen.add(unit.path("userId").asLong())).isTrue();
            issued.put(unit.path("userId").asLong(), unit.path("issuedCouponId").asLong() + "/"
                    + unit.path("code").asText());
        });
        return issued;
    }

    private static List<Map.Entry<Long, String>> refusals(JsonNode answer) {
        List<Map.Entry<Long, String>> refused = new ArrayList<>();
        answer.path("refused").forEach(refusal -> refused.add(Map.entry(refusal.path("userId").asLong(),
                refusal.path("code").asText())));
        return refused;
    }
}
