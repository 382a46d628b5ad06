package dev.couponhub.ai.recommendation;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer of {@code GET /api/v1/recommendations/coupons}. */
record Recommendation(List<RecommendedCoupon> items,
                      @Schema(description = "GEMINI when the model chose the items, FALLBACK when the fallback ranking did")
                      Source source,
                      Instant generatedAt) {

    Recommendation {
        items = List.copyOf(items);
    }

    /** Who chose the items. */
    enum Source { GEMINI, FALLBACK }

    /** One recommended coupon: one the shopper can claim right now and has not claimed. */
    record RecommendedCoupon(long couponId, String name, long storeId, String storeName,
                             @Schema(description = "a short sentence for the shopper, in Korean") String reason) {
    }
}
