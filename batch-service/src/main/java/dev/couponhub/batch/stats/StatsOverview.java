package dev.couponhub.batch.stats;

import java.time.LocalDate;
import java.util.List;

/** The answer of {@code GET /api/v1/stats/overview}: every store's figures together, per day, and the leaders. */
record StatsOverview(LocalDate from, LocalDate to, StoreStats.Figures totals, List<StoreStats.Day> days,
                     List<TopStore> topStores, List<TopCoupon> topCoupons) {

    /** {@code storeName} is null when store-service no longer knows the store (deleted). */
    record TopStore(long storeId, String storeName, long issued, long redeemed, long discountTotal) {
    }

    record TopCoupon(long couponId, String name, long storeId, long issued, long redeemed) {
    }
}
