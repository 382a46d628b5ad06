package dev.couponhub.coupon.search;

import dev.couponhub.coupon.coupon.Coupon;

/**
 * The search document of a coupon: only its searchable text and what a search may filter or sort on. Everything a
 * search answers comes from the database, so the document never needs to follow claims. The text fields hold the
 * words {@link KoreanAnalysis} found in the coupon's text, separated by spaces.
 *
 * @param createdAt epoch milliseconds
 */
record CouponDocument(String name, String description, String storeName, long storeId, String category,
                      long createdAt) {

    static CouponDocument of(Coupon coupon, KoreanAnalysis analysis) {
        return new CouponDocument(analysis.words(coupon.name()), analysis.words(coupon.description()),
                analysis.words(coupon.store().name()), coupon.storeId(), coupon.store().category(),
                coupon.createdAt().toEpochMilli());
    }
}
