package dev.couponhub.ai.recommendation;

import java.time.Instant;

/** Builders of test data. */
final class Coupons {

    static final Instant NOW = Instant.parse("2026-11-21T03:00:00Z");
    static final Instant FAR = NOW.plusSeconds(30L * 24 * 3600);

    private Coupons() {
    }

    /** An active coupon ending far in the future with 10 of 100 units issued. */
    static CandidateCoupon coupon(long id, long storeId, String category) {
        return new CandidateCoupon(id, storeId, "Store " + storeId, category, "Coupon " + id, "desc " + id, "FIXED",
                1000, 100, 10, 90, FAR, "ACTIVE");
    }

    static CandidateCoupon issued(CandidateCoupon c, long issued) {
        return new CandidateCoupon(c.id(), c.storeId(), c.storeName(), c.category(), c.name(), c.description(),
                c.discountType(), c.discountValue(), c.totalQuantity(), issued, c.totalQuantity() - issued,
                c.issueEndsAt(), issued >= c.totalQuantity() ? "SOLD_OUT" : c.status());
    }

    static CandidateCoupon endingAt(CandidateCoupon c, Instant endsAt) {
        return new CandidateCoupon(c.id(), c.storeId(), c.storeName(), c.category(), c.name(), c.description(),
                c.discountType(), c.discountValue(), c.totalQuantity(), c.issuedQuantity(), c.remainingQuantity(),
                endsAt, c.status());
    }

    static PastClaim claim(long couponId, long storeId, String category) {
        return new PastClaim(couponId, storeId, category, "ISSUED");
    }
}
