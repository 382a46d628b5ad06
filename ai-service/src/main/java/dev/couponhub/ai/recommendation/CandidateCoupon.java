package dev.couponhub.ai.recommendation;

import java.time.Instant;

import org.springframework.lang.Nullable;

/**
 * A public coupon offered to the shopper, as coupon-service describes it.
 *
 * @param issueEndsAt end of the claim window; {@code null} when coupon-service sent none or an unreadable one
 */
record CandidateCoupon(long id, long storeId, String storeName, String category, String name, String description,
                       String discountType, long discountValue, long totalQuantity, long issuedQuantity,
                       long remainingQuantity, @Nullable Instant issueEndsAt, String status) {

    /** No unit left to claim. */
    boolean soldOut() {
        return "SOLD_OUT".equals(status) || remainingQuantity <= 0
                || (totalQuantity > 0 && issuedQuantity >= totalQuantity);
    }

    /** Open for claims now and not sold out. */
    boolean claimable(Instant now) {
        return "ACTIVE".equals(status) && !soldOut() && (issueEndsAt == null || issueEndsAt.isAfter(now));
    }

    /** Share of the units already issued, 0..1. */
    double popularity() {
        if (totalQuantity <= 0) {
            return 0;
        }
        return Math.min(1.0, Math.max(0.0, (double) issuedQuantity / totalQuantity));
    }
}
