package dev.couponhub.ai.recommendation;

/** One coupon the shopper has claimed (issued, redeemed or expired). */
record PastClaim(long couponId, long storeId, String category, String status) {
}
