package dev.couponhub.batch.stats;

import java.time.LocalDate;

/** One coupon's figures on one day, as job {@code coupon-usage-stats} computes them from the ledger. */
record DailyStat(long couponId, LocalDate day, long issued, long redeemed, long cancelled, long expired,
                 long discountTotal) {
}
