package dev.couponhub.ai.recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * Ranks the shopper's eligible coupons without any model. Each coupon scores
 * <ul>
 *   <li>{@value #CATEGORY_WEIGHT} × the share of the shopper's claims in its store category,</li>
 *   <li>{@value #STORE_WEIGHT} × the share of the shopper's claims at its store,</li>
 *   <li>{@value #ENDING_WEIGHT} × how close its claim window is to closing (1 at the end, 0 from
 *       {@link #ENDING_SOON} before),</li>
 *   <li>{@value #POPULARITY_WEIGHT} × its popularity (issued / total).</li>
 * </ul>
 * Higher scores first, ties by coupon id ascending; coupons already claimed by the shopper, sold out or closed are
 * never ranked. The reason (Korean, for the shopper) names the part that contributed most (popularity only from
 * {@value #POPULAR_SHARE} issued); with none of them, a neutral reason.
 */
@Component
class FallbackRanker {

    static final double CATEGORY_WEIGHT = 3.0;
    static final double STORE_WEIGHT = 2.0;
    static final double ENDING_WEIGHT = 1.5;
    static final double POPULARITY_WEIGHT = 1.0;
    static final Duration ENDING_SOON = Duration.ofHours(48);
    /** Popularity from which "popular" may be the reason. */
    static final double POPULAR_SHARE = 0.5;

    static final String REASON_DEFAULT = "지금 바로 받을 수 있는 쿠폰이에요";
    static final String REASON_ENDING = "곧 마감돼요. 놓치기 전에 받아 보세요";
    static final String REASON_POPULAR = "많은 분들이 받아 간 인기 쿠폰이에요";

    private static final Map<String, String> CATEGORY_NAMES = Map.of(
            "FOOD", "음식", "CAFE", "카페", "BEAUTY", "뷰티", "FASHION", "패션", "LIFESTYLE", "라이프스타일",
            "ENTERTAINMENT", "엔터테인먼트", "OTHER", "기타");

    /** A coupon with its score and the reason it ranked where it did. */
    record Ranked(CandidateCoupon coupon, double score, String reason) {
    }

    private enum Why { STORE, CATEGORY, ENDING, POPULAR, NONE }

    /** Every eligible coupon of the snapshot, best first. */
    List<Ranked> rank(ShopperSnapshot snapshot, Instant now) {
        List<PastClaim> history = snapshot.history();
        Map<String, Long> byCategory = history.stream()
                .collect(Collectors.groupingBy(PastClaim::category, Collectors.counting()));
        Map<Long, Long> byStore = history.stream()
                .collect(Collectors.groupingBy(PastClaim::storeId, Collectors.counting()));
        double claims = history.size();
        Map<Long, CandidateCoupon> unique = snapshot.eligible(now).stream()
                .collect(Collectors.toMap(CandidateCoupon::id, Function.identity(), (first, again) -> first,
                        LinkedHashMap::new));
        return unique.values().stream()
                .map(coupon -> score(coupon, claims == 0 ? 0 : byCategory.getOrDefault(coupon.category(), 0L) / claims,
                        claims == 0 ? 0 : byStore.getOrDefault(coupon.storeId(), 0L) / claims, now))
                .sorted(Comparator.comparingDouble(Ranked::score).reversed()
                        .thenComparingLong(ranked -> ranked.coupon().id()))
                .toList();
    }

    private static Ranked score(CandidateCoupon coupon, double categoryShare, double storeShare, Instant now) {
        double category = CATEGORY_WEIGHT * categoryShare;
        double store = STORE_WEIGHT * storeShare;
        double ending = ENDING_WEIGHT * endingSoon(coupon.issueEndsAt(), now);
        double popular = POPULARITY_WEIGHT * coupon.popularity();
        Why why = Why.NONE;
        double best = 0;
        // on equal contributions the earlier (more personal) reason wins
        if (store > best) {
            why = Why.STORE;
            best = store;
        }
        if (category > best) {
            why = Why.CATEGORY;
            best = category;
        }
        if (ending > best) {
            why = Why.ENDING;
            best = ending;
        }
        if (popular > best && coupon.popularity() >= POPULAR_SHARE) {
            why = Why.POPULAR;
        }
        return new Ranked(coupon, category + store + ending + popular, reason(why, coupon));
    }

    /** 0 when the window closes {@link #ENDING_SOON} or later from now (or never), rising to 1 at its end. */
    static double endingSoon(Instant issueEndsAt, Instant now) {
        if (issueEndsAt == null) {
            return 0;
        }
        long left = Duration.between(now, issueEndsAt).toMillis();
        if (left <= 0) {
            return 1;
        }
        return Math.max(0, 1.0 - (double) left / ENDING_SOON.toMillis());
    }

    /** The reason the fallback would give for this coupon, with the shopper's history. */
    private static String reason(Why why, CandidateCoupon coupon) {
        return switch (why) {
            case STORE -> "자주 이용한 " + coupon.storeName() + " 매장의 쿠폰이에요";
            case CATEGORY -> "자주 찾는 " + categoryName(coupon.category()) + " 카테고리의 쿠폰이에요";
            case ENDING -> REASON_ENDING;
            case POPULAR -> REASON_POPULAR;
            case NONE -> REASON_DEFAULT;
        };
    }

    static String categoryName(String category) {
        return CATEGORY_NAMES.getOrDefault(category, "기타");
    }
}
