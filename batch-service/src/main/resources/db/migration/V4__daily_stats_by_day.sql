-- The admin overview (GET /api/v1/stats/overview) sums every coupon's figures over a range of days: read by day, not
-- by coupon (the primary key), instead of the whole table.
CREATE INDEX ix_coupon_daily_stats_day ON coupon_daily_stats (day);
