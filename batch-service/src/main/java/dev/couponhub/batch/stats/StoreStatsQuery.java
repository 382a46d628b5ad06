package dev.couponhub.batch.stats;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads a store's figures as job {@code coupon-usage-stats} last computed them: every coupon of the store seen in
 * events, and every day of the range, days without figures as zeros so that a chart can draw them.
 */
@Component
class StoreStatsQuery {

    private final JdbcTemplate jdbc;

    StoreStatsQuery(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    StoreStats of(long storeId, LocalDate from, LocalDate to) {
        Map<Long, String> names = new LinkedHashMap<>();
        jdbc.query("SELECT coupon_id, name FROM coupon_catalog WHERE store_id = ? ORDER BY coupon_id",
                rs -> {
                    names.put(rs.getLong(1), rs.getString(2));
                }, storeId);
        Map<Long, Map<LocalDate, StoreStats.Figures>> figures = new HashMap<>();
        jdbc.query("""
                SELECT s.coupon_id, s.day, s.issued, s.redeemed, s.cancelled, s.expired, s.discount_total
                FROM coupon_daily_stats s JOIN coupon_catalog c ON c.coupon_id = s.coupon_id
                WHERE c.store_id = ? AND s.day BETWEEN ? AND ?""", rs -> {
            figures.computeIfAbsent(rs.getLong(1), id -> new HashMap<>()).put(rs.getObject(2, LocalDate.class),
                    new StoreStats.Figures(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
        }, storeId, from, to);

        List<StoreStats.CouponStats> coupons = new ArrayList<>(names.size());
        names.forEach((couponId, name) -> {
            StoreStats.Days days = StoreStats.Days.of(from, to, figures.getOrDefault(couponId, Map.of()));
            coupons.add(new StoreStats.CouponStats(couponId, name, days.totals(), days.days()));
        });
        return new StoreStats(storeId, from, to, coupons);
    }
}
