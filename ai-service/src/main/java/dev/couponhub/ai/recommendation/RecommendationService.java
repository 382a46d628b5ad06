package dev.couponhub.ai.recommendation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.couponhub.ai.config.AiProperties;
import dev.couponhub.ai.recommendation.FallbackRanker.Ranked;
import dev.couponhub.ai.recommendation.Recommendation.RecommendedCoupon;
import dev.couponhub.ai.recommendation.Recommendation.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

/**
 * Recommends coupons to one shopper: the model's picks when a model is configured and answers usefully in time
 * ({@code GEMINI}), otherwise the fallback ranking ({@code FALLBACK}). Every pick of the model is checked: only
 * coupons the shopper can claim now and has not claimed, no duplicates, at most {@code limit}; a pick with a blank
 * reason keeps its place and gets the fallback ranking's reason for that coupon. Answers are cached per shopper and
 * limit for {@code couponhub.ai.cache-ttl}.
 */
@Service
class RecommendationService {

    static final String COUNTER = "couponhub.recommendations";
    static final int MAX_REASON = 120;

    private final CouponDirectory directory;
    private final FallbackRanker ranker;
    private final ModelRecommender model;
    private final Clock clock;
    private final int promptCandidates;
    private final Cache<Key, Recommendation> cache;
    private final Map<Source, Counter> counters = new LinkedHashMap<>();

    RecommendationService(CouponDirectory directory, FallbackRanker ranker, ModelRecommender model, Clock clock,
                          AiProperties properties, MeterRegistry meters) {
        this.directory = directory;
        this.ranker = ranker;
        this.model = model;
        this.clock = clock;
        this.promptCandidates = properties.promptCandidates();
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.cacheTtl())
                .maximumSize(properties.cacheMaxEntries())
                .build();
        for (Source source : Source.values()) {
            counters.put(source, Counter.builder(COUNTER)
                    .description("Recommendations answered (cached ones included), by who chose the items")
                    .tag("source", source.name())
                    .register(meters));
        }
    }

    private record Key(long userId, int limit) {
    }

    /**
     * @throws dev.couponhub.ai.web.ApiException {@code DEPENDENCY_UNAVAILABLE} when coupon-service cannot answer
     */
    Recommendation recommend(long userId, int limit) {
        // not cache.get(key, loader): a load may wait seconds for the model and must not hold up other keys
        Key key = new Key(userId, limit);
        Recommendation answer = cache.getIfPresent(key);
        if (answer == null) {
            answer = compute(userId, limit);
            cache.put(key, answer);
        }
        counters.get(answer.source()).increment();
        return answer;
    }

    private Recommendation compute(long userId, int limit) {
        ShopperSnapshot snapshot = directory.snapshot(userId);
        Instant now = clock.instant();
        List<Ranked> ranked = ranker.rank(snapshot, now);
        if (!ranked.isEmpty() && model.available()) {
            List<CandidateCoupon> sent = ranked.stream().limit(promptCandidates).map(Ranked::coupon).toList();
            Optional<List<RecommendedCoupon>> picked = model.ask(snapshot.history(), sent, limit)
                    .map(picks -> accept(picks, ranked, limit))
                    .filter(items -> !items.isEmpty());
            if (picked.isPresent()) {
                return answer(picked.get(), Source.GEMINI);
            }
        }
        List<RecommendedCoupon> items = ranked.stream().limit(limit)
                .map(entry -> item(entry.coupon(), entry.reason()))
                .toList();
        return answer(items, Source.FALLBACK);
    }

    /**
     * The model's picks that may be shown, in its order: known eligible coupons only (claimable now, not sold out,
     * not claimed by the shopper), each once, at most {@code limit}.
     */
    static List<RecommendedCoupon> accept(List<ModelAnswer.Pick> picks, List<Ranked> eligible, int limit) {
        Map<Long, Ranked> byId = new LinkedHashMap<>();
        eligible.forEach(entry -> byId.put(entry.coupon().id(), entry));
        Set<Long> seen = new HashSet<>();
        List<RecommendedCoupon> items = new ArrayList<>();
        for (ModelAnswer.Pick pick : picks) {
            if (items.size() >= limit) {
                break;
            }
            if (pick == null || pick.couponId() == null) {
                continue;
            }
            Ranked entry = byId.get(pick.couponId());
            if (entry == null || !seen.add(pick.couponId())) {
                continue;
            }
            String reason = clean(pick.reason());
            items.add(item(entry.coupon(), reason.isEmpty() ? entry.reason() : reason));
        }
        return items;
    }

    /** Whitespace collapsed, at most {@value #MAX_REASON} characters. */
    static String clean(String reason) {
        if (reason == null) {
            return "";
        }
        String text = reason.replaceAll("\\s+", " ").strip();
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON - 1).strip() + "…" : text;
    }

    private static RecommendedCoupon item(CandidateCoupon coupon, String reason) {
        return new RecommendedCoupon(coupon.id(), coupon.name(), coupon.storeId(), coupon.storeName(), reason);
    }

    private Recommendation answer(List<RecommendedCoupon> items, Source source) {
        return new Recommendation(items, source, clock.instant());
    }
}
