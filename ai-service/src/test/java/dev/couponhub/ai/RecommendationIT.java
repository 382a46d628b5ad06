package dev.couponhub.ai;

import static dev.couponhub.ai.FakeCouponService.claim;
import static dev.couponhub.ai.FakeCouponService.coupon;
import static dev.couponhub.ai.Problems.as;
import static dev.couponhub.ai.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The whole service with the chat model replaced by {@link ScriptedChatModel} and coupon-service played by
 * {@link FakeCouponService} over in-process gRPC. Every test uses its own shopper, so cached answers never cross.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.client.coupon-service.address=in-process:" + FakeCouponService.NAME,
        "couponhub.ai.model-timeout=500ms",
})
@Import(RecommendationIT.ModelDouble.class)
class RecommendationIT {

    private static final String PATH = "/api/v1/recommendations/coupons";

    @TestConfiguration(proxyBeanMethods = false)
    static class ModelDouble {

        @Bean
        ScriptedChatModel scriptedChatModel() {
            return new ScriptedChatModel();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ScriptedChatModel model;

    private final FakeCouponService coupons = FakeCouponService.instance();
    private ApiClient api;
    private long shopper;
    private long base;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        shopper = ThreadLocalRandom.current().nextLong(1_000_000L, 9_000_000L);
        base = ThreadLocalRandom.current().nextLong(10_000_000L, 90_000_000L) * 100; // coupon ids of this test
        model.answer("{\"items\": []}");
    }

    /** Coupons base+1..base+4 claimable (CAFE, FOOD, CAFE, BEAUTY); one CAFE coupon claimed before. */
    private void givenShopperWithCoupons() {
        coupons.setClaimable(shopper, List.of(coupon(base + 1, 11, "CAFE", 10), coupon(base + 2, 12, "FOOD", 10),
                coupon(base + 3, 13, "CAFE", 50), coupon(base + 4, 14, "BEAUTY", 10)));
        coupons.setHistory(shopper, List.of(claim(base + 90, 19, "CAFE")));
    }

    private ApiClient.Response recommend(String query) {
        return api.get(PATH + query, as(shopper, "SHOPPER"));
    }

    @Test
    void recommendWhenModelAnswersThenGeminiItemsInTheModelsOrderWithReasons() {
        givenShopperWithCoupons();
        model.answer("""
                ```json
                {"items": [{"couponId": %d, "reason": "좋아하는 뷰티 매장이에요"},
                           {"couponId": %d, "reason": "점심에 쓰기 좋아요"}]}
                ```""".formatted(base + 4, base + 2));

        ApiClient.Response response = recommend("?limit=3");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("source").asText()).isEqualTo("GEMINI");
        assertThat(Instant.parse(body.path("generatedAt").asText())).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(10, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(ids(body)).containsExactly(base + 4, base + 2);
        JsonNode first = body.path("items").get(0);
        assertThat(first.path("name").asText()).isEqualTo("Coupon " + (base + 4));
        assertThat(first.path("storeId").asLong()).isEqualTo(14);
        assertThat(first.path("storeName").asText()).isEqualTo("Store 14");
        assertThat(first.path("reason").asText()).isEqualTo("좋아하는 뷰티 매장이에요");
        assertThat(body.path("items").get(1).path("reason").asText()).isEqualTo("점심에 쓰기 좋아요");
    }

    @Test
    void recommendWhenModelNamesUnknownClaimedOrSoldOutCouponsThenTheyAreDropped() {
        givenShopperWithCoupons();
        long claimed = base + 5;
        long soldOut = base + 6;
        List<dev.couponhub.proto.coupon.v1.CouponSummary> claimable = new ArrayList<>(List.of(
                coupon(base + 1, 11, "CAFE", 10), coupon(claimed, 15, "CAFE", 10), coupon(soldOut, 16, "FOOD", 100)));
        coupons.setClaimable(shopper, claimable);
        coupons.setHistory(shopper, List.of(claim(claimed, 15, "CAFE")));
        model.answer("""
                {"items": [{"couponId": 424242, "reason": "없는 쿠폰"},
                           {"couponId": %d, "reason": "이미 받은 쿠폰"},
                           {"couponId": %d, "reason": "품절"},
                           {"couponId": %d, "reason": "카페 쿠폰"},
                           {"couponId": %d, "reason": "또 카페 쿠폰"}]}""".formatted(claimed, soldOut, base + 1, base + 1));

        JsonNode body = recommend("").json();

        assertThat(body.path("source").asText()).isEqualTo("GEMINI");
        assertThat(ids(body)).containsExactly(base + 1);
        assertThat(body.path("items").get(0).path("reason").asText()).isEqualTo("카페 쿠폰");
    }

    @Test
    void recommendWhenEveryPickIsDroppedThenFallback() {
        givenShopperWithCoupons();
        model.answer("{\"items\": [{\"couponId\": 1, \"reason\": \"x\"}, {\"couponId\": %d, \"reason\": \"claimed\"}]}"
                .formatted(base + 90));

        JsonNode body = recommend("?limit=2").json();

        assertFallback(body);
        assertFavouriteCategoryFirst(body);
        assertThat(model.calls()).isPositive();
    }

    @Test
    void recommendWhenModelAnswersMalformedJsonThenFallback() {
        givenShopperWithCoupons();
        model.answer("Here are my picks: {\"items\": [{\"couponId\": ");

        JsonNode body = recommend("?limit=2").json();

        assertFallback(body);
        assertFavouriteCategoryFirst(body);
    }

    @Test
    void recommendWhenModelFailsThenFallback() {
        givenShopperWithCoupons();
        model.fail(new IllegalStateException("quota exceeded"));

        JsonNode body = recommend("?limit=2").json();

        assertFallback(body);
        assertFavouriteCategoryFirst(body);
    }

    @Test
    void recommendWhenModelIsSlowerThanTheTimeoutThenFallbackWithinTheTimeout() {
        givenShopperWithCoupons();
        model.answerAfter(Duration.ofSeconds(5), "{\"items\": [{\"couponId\": %d, \"reason\": \"late\"}]}"
                .formatted(base + 1));

        long started = System.nanoTime();
        ApiClient.Response response = recommend("?limit=2");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertFallback(response.json());
        assertFavouriteCategoryFirst(response.json());
        assertThat(millis).as("answered in %d ms with a 500 ms model time-out", millis).isBetween(450L, 1_300L);
    }

    @Test
    void recommendWhenAskedAgainWithinTheTtlThenTheModelIsNotCalledAgain() {
        givenShopperWithCoupons();
        model.answer("{\"items\": [{\"couponId\": %d, \"reason\": \"카페\"}]}".formatted(base + 1));

        JsonNode first = recommend("?limit=4").json();
        int calls = model.calls();
        JsonNode second = recommend("?limit=4").json();

        assertThat(model.calls()).isEqualTo(calls);
        assertThat(second).isEqualTo(first);
        assertThat(first.path("source").asText()).isEqualTo("GEMINI");
        // another limit is another question
        recommend("?limit=3");
        assertThat(model.calls()).isEqualTo(calls + 1);
    }

    @Test
    void recommendSendsTheModelOnlyTheCallersHistoryAndTheCandidates() {
        long other = shopper + 1;
        givenShopperWithCoupons();
        coupons.setHistory(other, List.of(claim(base + 77, 77, "FASHION")));
        coupons.setClaimable(other, List.of(coupon(base + 78, 78, "FASHION", 10)));

        recommend("");

        String prompt = model.prompts().get(model.prompts().size() - 1);
        assertThat(prompt).contains(Long.toString(base + 90)) // the caller's own claim
                .contains(Long.toString(base + 1), Long.toString(base + 2), Long.toString(base + 3),
                        Long.toString(base + 4))
                .doesNotContain(Long.toString(base + 77)).doesNotContain(Long.toString(base + 78))
                .doesNotContain("FASHION")
                .doesNotContain(Long.toString(shopper)).doesNotContain(Long.toString(other));
    }

    @Test
    void recommendWhenNothingIsClaimableThenAnEmptyFallbackWithoutAskingTheModel() {
        coupons.setClaimable(shopper, List.of(coupon(base + 1, 11, "CAFE", 100)));
        int calls = model.calls();

        JsonNode body = recommend("").json();

        assertThat(body.path("source").asText()).isEqualTo("FALLBACK");
        assertThat(body.path("items")).isEmpty();
        assertThat(model.calls()).isEqualTo(calls);
    }

    @Test
    void recommendWithoutLimitThenAtMostFive() {
        List<dev.couponhub.proto.coupon.v1.CouponSummary> many = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            many.add(coupon(base + i, 10 + i, "FOOD", 10));
        }
        coupons.setClaimable(shopper, many);

        JsonNode body = recommend("").json();

        assertFallback(body);
        assertThat(ids(body)).containsExactly(base + 1, base + 2, base + 3, base + 4, base + 5);
    }

    @Test
    void recommendWithoutIdentityThenUnauthorized() {
        assertProblem(api.get(PATH), 401, "UNAUTHORIZED", PATH);
        assertProblem(api.get(PATH, "X-User-Id", "abc", "X-User-Role", "SHOPPER"), 401, "UNAUTHORIZED", PATH);
    }

    @Test
    void recommendAsOwnerOrAdminThenForbidden() {
        assertProblem(api.get(PATH, as(shopper, "OWNER")), 403, "FORBIDDEN", PATH);
        assertProblem(api.get(PATH, as(shopper, "ADMIN")), 403, "FORBIDDEN", PATH);
    }

    @Test
    void recommendWhenLimitOutOfRangeThenValidationFailed() {
        for (String limit : List.of("0", "21", "-1", "abc")) {
            JsonNode body = assertProblem(recommend("?limit=" + limit), 400, "VALIDATION_FAILED", PATH);
            assertThat(body.path("errors").get(0).path("field").asText()).as(limit).isEqualTo("limit");
            assertThat(body.path("errors").get(0).path("message").asText()).isNotBlank();
        }
        assertThat(recommend("?limit=20").status()).isEqualTo(200);
        assertThat(recommend("?limit=1").status()).isEqualTo(200);
    }

    @Test
    void recommendationsAreCountedBySourceAndModelLatencyIsTimed() {
        givenShopperWithCoupons();
        model.answer("{\"items\": [{\"couponId\": %d, \"reason\": \"r\"}]}".formatted(base + 1));
        recommend("");

        String metrics = api.get("/actuator/prometheus").body();

        assertThat(metrics).contains("couponhub_recommendations_total{application=\"ai-service\",source=\"GEMINI\"}")
                .contains("couponhub_recommendations_total{application=\"ai-service\",source=\"FALLBACK\"}")
                .contains("couponhub_recommendations_model_latency_seconds_count{application=\"ai-service\","
                        + "outcome=\"answered\"}");
    }

    private void assertFallback(JsonNode body) {
        assertThat(body.path("source").asText()).as(body.toString()).isEqualTo("FALLBACK");
        assertThat(body.path("items")).isNotEmpty();
        body.path("items").forEach(item -> assertThat(item.path("reason").asText()).isNotBlank());
        List<Long> ids = ids(body);
        assertThat(ids).doesNotContain(base + 90).doesNotHaveDuplicates();
    }

    /** With {@link #givenShopperWithCoupons()}: the favourite category (CAFE), the more popular coupon first. */
    private void assertFavouriteCategoryFirst(JsonNode body) {
        assertThat(ids(body)).containsExactly(base + 3, base + 1);
        assertThat(body.path("items").get(0).path("reason").asText()).isEqualTo("자주 찾는 카페 카테고리의 쿠폰이에요");
    }

    private static List<Long> ids(JsonNode body) {
        List<Long> ids = new ArrayList<>();
        body.path("items").forEach(item -> ids.add(item.path("couponId").asLong()));
        return ids;
    }
}
