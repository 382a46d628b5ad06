package dev.couponhub.ai.recommendation;

import static dev.couponhub.ai.recommendation.Coupons.coupon;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.couponhub.ai.recommendation.Recommendation.RecommendedCoupon;
import org.junit.jupiter.api.Test;

/** The checks on the model's picks. */
class RecommendationServiceTests {

    private final List<FallbackRanker.Ranked> eligible = List.of(
            new FallbackRanker.Ranked(coupon(1, 11, "CAFE"), 3, "fallback reason 1"),
            new FallbackRanker.Ranked(coupon(2, 12, "FOOD"), 2, "fallback reason 2"),
            new FallbackRanker.Ranked(coupon(3, 13, "FOOD"), 1, "fallback reason 3"));

    @Test
    void acceptKeepsTheModelsOrderAndReasons() {
        List<RecommendedCoupon> items = RecommendationService.accept(
                List.of(pick(3, "three"), pick(1, "one")), eligible, 5);

        assertThat(items).containsExactly(
                new RecommendedCoupon(3, "Coupon 3", 13, "Store 13", "three"),
                new RecommendedCoupon(1, "Coupon 1", 11, "Store 11", "one"));
    }

    @Test
    void acceptDropsUnknownRepeatedAndMissingIds() {
        List<RecommendedCoupon> items = RecommendationService.accept(
                List.of(pick(99, "unknown"), pick(2, "two"), pick(2, "again"), new ModelAnswer.Pick(null, "none")),
                eligible, 5);

        assertThat(items).extracting(RecommendedCoupon::couponId).containsExactly(2L);
        assertThat(items.get(0).reason()).isEqualTo("two");
    }

    @Test
    void acceptStopsAtTheLimit() {
        List<RecommendedCoupon> items = RecommendationService.accept(
                List.of(pick(1, "a"), pick(2, "b"), pick(3, "c")), eligible, 2);

        assertThat(items).extracting(RecommendedCoupon::couponId).containsExactly(1L, 2L);
    }

    @Test
    void acceptGivesABlankReasonTheFallbackReason() {
        List<RecommendedCoupon> items = RecommendationService.accept(
                List.of(pick(1, "  "), pick(2, null), pick(3, " spaced \n out ")), eligible, 5);

        assertThat(items).extracting(RecommendedCoupon::reason)
                .containsExactly("fallback reason 1", "fallback reason 2", "spaced out");
    }

    @Test
    void cleanCapsLongReasons() {
        assertThat(RecommendationService.clean("가".repeat(500))).hasSize(RecommendationService.MAX_REASON).endsWith("…");
    }

    private static ModelAnswer.Pick pick(long id, String reason) {
        return new ModelAnswer.Pick(id, reason);
    }
}
