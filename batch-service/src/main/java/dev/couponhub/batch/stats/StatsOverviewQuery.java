package dev.couponhub.batch.stats;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.couponhub.batch.store.StoreDirectory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the figures of every store as job {@code coupon-usage-stats} last computed them (the same rows as a store's
 * statistics): the totals of each day of the range, zeros included, and the ten stores and coupons with the most units
 * issued in it (then the most redeemed, then the lowest id); a store or coupon with nothing in the range is not among
 * them. Store names come from store-service, in one call.
 */
@Component
class StatsOverviewQuery {

    static final int TOP = 10;

    private final JdbcTemplate jdbc;
    private final StoreDirectory stores;

    StatsOverviewQuery(JdbcTemplate jdbc, StoreDirectory stores) {
        this.jdbc = jdbc;
        this.stores = stores;
    }

    StatsOverview of(LocalDate from, LocalDate to) {
        Map<LocalDate, StoreStats.Figures> byDay = new HashMap<>();
        jdbc.query("""
                SELECT day, SUM(issued), SUM(redeemed), SUM(cancelled), SUM(expired), SUM(discount_total)
                FROM coupon_daily_stats WHERE day BETWEEN ? AND ? GROUP BY day""", rs -> {
            byDay.put(rs.getObject(1, LocalDate.class), new StoreStats.Figures(rs.getLong(2), rs.getLong(3),
                    rs.getLong(4), rs.getLong(5), rs.getLong(6)));
        }, from, to);
        StoreStats.Days days = StoreStats.Days.of(from, to, byDay);

        List<long[]> storeRows = jdbc.query("""
                SELECT c.store_id, SUM(s.issued) AS issued, SUM(s.redeemed) AS redeemed,
                       SUM(s.discount_total) AS discount_total
                FROM coupon_daily_stats s JOIN coupon_catalog c ON c.coupon_id = s.coupon_id
                WHERE s.day BETWEEN ? AND ?
                GROUP BY c.store_id
                HAVING SUM(s.issued) + SUM(s.redeemed) + SUM(s.cancelled) + SUM(s.expired) > 0
                ORDER BY issued DESC, redeemed DESC, c.store_id
                LIMIT""" + " " + TOP, (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3),
                rs.getLong(4)}, from, to);
        Map<Long, String> names = storeRows.isEmpty() ? Map.of()
                : stores.namesOf(storeRows.stream().map(row -> row[0]).toList());
        List<StatsOverview.TopStore> topStores = storeRows.stream().map(row -> new StatsOverview.TopStore(row[0],
                names.get(row[0]), row[1], row[2], row[3])).toList();

        List<StatsOverview.TopCoupon> topCoupons = jdbc.query("""
                SELECT s.coupon_id, c.name, c.store_id, SUM(s.issued) AS issued, SUM(s.redeemed) AS redeemed
                FROM coupon_daily_stats s JOIN coupon_catalog c ON c.coupon_id = s.coupon_id
                WHERE s.day BETWEEN ? AND ?
                GROUP BY s.coupon_id, c.name, c.store_id
                HAVING SUM(s.issued) + SUM(s.redeemed) + SUM(s.cancelled) + SUM(s.expired) > 0
                ORDER BY issued DESC, redeemed DESC, s.coupon_id
                LIMIT""" + " " + TOP, (rs, n) -> new StatsOverview.TopCoupon(rs.getLong(1), rs.getString(2),
                rs.getLong(3), rs.getLong(4), rs.getLong(5)), from, to);
        return new StatsOverview(from, to, days.totals(), days.days(), topStores, topCoupons);
    }
}
