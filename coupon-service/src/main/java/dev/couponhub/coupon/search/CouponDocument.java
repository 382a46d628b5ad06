package dev.couponhub.coupon.search;

import dev.couponhub.coupon.coupon.Coupon;

/**
 * The search document of a coupon: only its searchable text and what a search may filter or sort on. Everything a
 * search answers comes from the database, so the document never needs to follow claims.
 *
 * @param createdAt epoch milliseconds
 */
record CouponDocument(String name, String description, String storeName, long storeId, String category,
                      long createdAt) {

    static CouponDocument of(Coupon coupon) {
        return new CouponDocument(coupon.name(), coupon.description(), coupon.store().name(), coupon.storeId(),
                coupon.store().category(), coupon.createdAt().toEpochMilli());
    }
}
