package dev.couponhub.ai.recommendation;

import static dev.couponhub.ai.recommendation.Coupons.NOW;
import static dev.couponhub.ai.recommendation.Coupons.claim;
import static dev.couponhub.ai.recommendation.Coupons.coupon;
import static dev.couponhub.ai.recommendation.Coupons.endingAt;
import static dev.couponhub.ai.recommendation.Coupons.issued;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FallbackRankerTests {

    private final FallbackRanker ranker = new FallbackRanker();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no history, same everything: ties by id",
                        List.of(),
                        List.of(coupon(30, 3, "FOOD"), coupon(10, 1, "CAFE"), coupon(20, 2, "BEAUTY")),
                        List.of(10L, 20L, 30L)),
                Arguments.of("favourite category beats a popular coupon ending soon",
                        List.of(claim(900, 9, "CAFE"), claim(901, 8, "CAFE")),
                        List.of(endingAt(issued(coupon(1, 1, "FOOD"), 99), NOW.plus(Duration.ofHours(1))),
                                coupon(2, 2, "CAFE")),
                        List.of(2L, 1L)),
                Arguments.of("the more often claimed category comes first",
                        List.of(claim(900, 9, "CAFE"), claim(901, 9, "CAFE"), claim(902, 8, "FOOD")),
                        List.of(coupon(1, 1, "FOOD"), coupon(2, 2, "CAFE"), coupon(3, 3, "BEAUTY")),
                        List.of(2L, 1L, 3L)),
                Arguments.of("favourite store beats the same category elsewhere",
                        List.of(claim(900, 7, "CAFE")),
                        List.of(coupon(1, 1, "CAFE"), coupon(2, 7, "CAFE")),
                        List.of(2L, 1L)),
                Arguments.of("already claimed coupons are never returned",
                        List.of(claim(1, 1, "CAFE")),
                        List.of(coupon(1, 1, "CAFE"), coupon(2, 2, "FOOD")),
                        List.of(2L)),
                Arguments.of("sold-out coupons are never returned",
                        List.of(claim(900, 1, "CAFE")),
                        List.of(issued(coupon(1, 1, "CAFE"), 100), coupon(2, 2, "FOOD")),
                        List.of(2L)),
                Arguments.of("coupons not active or already closed are never returned",
                        List.of(),
                        List.of(new CandidateCoupon(1, 1, "s", "CAFE", "n", "d", "FIXED", 1, 10, 0, 10, Coupons.FAR,
                                        "SCHEDULED"),
                                endingAt(coupon(2, 2, "CAFE"), NOW.minusSeconds(1)), coupon(3, 3, "CAFE")),
                        List.of(3L)),
                Arguments.of("without history, ending soon comes first, then popular",
                        List.of(),
                        List.of(coupon(1, 1, "FOOD"), issued(coupon(2, 2, "FOOD"), 80),
                                endingAt(coupon(3, 3, "FOOD"), NOW.plus(Duration.ofHours(2)))),
                        List.of(3L, 2L, 1L)),
                Arguments.of("a coupon listed twice is ranked once",
                        List.of(),
                        List.of(coupon(5, 1, "FOOD"), coupon(5, 1, "FOOD"), coupon(4, 1, "FOOD")),
                        List.of(4L, 5L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rankOrdersEligibleCouponsByScoreThenId(String name, List<PastClaim> history, List<CandidateCoupon> claimable,
                                                List<Long> expectedIds) {
        List<FallbackRanker.Ranked> ranked = ranker.rank(new ShopperSnapshot(history, claimable), NOW);

        assertThat(ranked).extracting(entry -> entry.coupon().id()).containsExactlyElementsOf(expectedIds);
        assertThat(ranked).allSatisfy(entry -> assertThat(entry.reason()).isNotBlank());
    }

    @Test
    void rankWhenSameInputThenSameOrder() {
        List<CandidateCoupon> claimable = Stream.iterate(1L, id -> id + 1).limit(40)
                .map(id -> coupon(id, id % 5, id % 2 == 0 ? "CAFE" : "FOOD")).toList();
        ShopperSnapshot snapshot = new ShopperSnapshot(List.of(claim(999, 3, "CAFE")), claimable);

        assertThat(ranker.rank(snapshot, NOW)).isEqualTo(ranker.rank(snapshot, NOW));
    }

    @Test
    void reasonSaysWhyInKorean() {
        ShopperSnapshot snapshot = new ShopperSnapshot(
                List.of(claim(900, 7, "CAFE"), claim(901, 8, "CAFE"), claim(902, 9, "CAFE")),
                List.of(coupon(1, 1, "CAFE"), coupon(2, 7, "FOOD"),
                        endingAt(coupon(3, 3, "BEAUTY"), NOW.plus(Duration.ofMinutes(30))),
                        issued(coupon(4, 4, "FASHION"), 90), coupon(5, 5, "OTHER")));

        List<FallbackRanker.Ranked> ranked = ranker.rank(snapshot, NOW);

        assertThat(ranked).extracting(entry -> entry.coupon().id() + ":" + entry.reason()).containsExactly(
                "1:자주 찾는 카페 카테고리의 쿠폰이에요",
                "3:" + FallbackRanker.REASON_ENDING,
                "4:" + FallbackRanker.REASON_POPULAR,
                "2:자주 이용한 Store 7 매장의 쿠폰이에요",
                "5:" + FallbackRanker.REASON_DEFAULT);
    }

    @Test
    void endingSoonRisesTowardsTheEndOfTheWindow() {
        assertThat(FallbackRanker.endingSoon(null, NOW)).isZero();
        assertThat(FallbackRanker.endingSoon(NOW.plus(Duration.ofDays(3)), NOW)).isZero();
        assertThat(FallbackRanker.endingSoon(NOW.plus(Duration.ofHours(24)), NOW)).isEqualTo(0.5);
        assertThat(FallbackRanker.endingSoon(NOW, NOW)).isEqualTo(1.0);
    }
}
