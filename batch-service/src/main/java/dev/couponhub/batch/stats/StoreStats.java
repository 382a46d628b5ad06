package dev.couponhub.batch.stats;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** Every day from {@code from} to {@code to} with its figures (zeros where there are none), and their sum. */
    record Days(List<Day> days, Figures totals) {

        static Days of(LocalDate from, LocalDate to, Map<LocalDate, Figures> byDay) {
            List<Day> days = new ArrayList<>();
            Figures totals = Figures.ZERO;
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                Figures ofDay = byDay.getOrDefault(day, Figures.ZERO);
                days.add(Day.of(day, ofDay));
                totals = totals.plus(ofDay);
            }
            return new Days(days, totals);
        }
    }

    record Day(LocalDate date, long issued, long redeemed, long cancelled, long expired, long discountTotal) {

        static Day of(LocalDate date, Figures figures) {
            return new Day(date, figures.issued(), figures.redeemed(), figures.cancelled(), figures.expired(),
                    figures.discountTotal());
        }
    }
}
