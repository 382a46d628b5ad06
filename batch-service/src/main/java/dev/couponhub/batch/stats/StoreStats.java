package dev.couponhub.batch.stats;

import java.time.LocalDate;
import java.util.List;

/** The answer of {@code GET /api/v1/stats/stores/{storeId}/coupons}. */
record StoreStats(long storeId, LocalDate from, LocalDate to, List<CouponStats> coupons) {

    record CouponStats(long couponId, String name, Figures totals, List<Day> days) {
    }

    record Figures(long issued, long redeemed, long cancelled, long expired, long discountTotal) {

        static final Figures ZERO = new Figures(0, 0, 0, 0, 0);

        Figures plus(Figures other) {
            return new Figures(issued + other.issued, redeemed + other.redeemed, cancelled + other.cancelled,
                    expired + other.expired, discountTotal + other.discountTotal);
        }
    }

    record Day(LocalDate date, long issued, long redeemed, long cancelled, long expired, long discountTotal) {

        static Day of(LocalDate date, Figures figures) {
            return new Day(date, figures.issued(), figures.redeemed(), figures.cancelled(), figures.expired(),
                    figures.discountTotal());
        }
    }
}
