import type { CouponStats, DayFigures, StatsOverview } from '../api/types';
import { addDays } from './format';

export type Metric = keyof DayFigures;

export const METRICS: { key: Metric; label: string; color: string }[] = [
  { key: 'issued', label: 'Issued', color: '#1d4ed8' },
  { key: 'redeemed', label: 'Redeemed', color: '#047857' },
  { key: 'cancelled', label: 'Cancelled', color: '#b45309' },
  { key: 'expired', label: 'Expired', color: '#6b21a8' },
  { key: 'discountTotal', label: 'Discount (won)', color: '#be123c' },
];

export interface DaySeries {
  dates: string[];
  values: Record<Metric, number[]>;
  totals: DayFigures;
}

const ZERO: DayFigures = { issued: 0, redeemed: 0, cancelled: 0, expired: 0, discountTotal: 0 };

/**
 * Per-day figures from `from` to `to` (every date present, 0 where nothing happened), for one coupon or,
 * with couponId null, summed over all the store's coupons.
 */
export function daySeries(stats: CouponStats, couponId: number | null): DaySeries {
  const dates: string[] = [];
  for (let d = stats.from; d <= stats.to && dates.length <= 366; d = addDays(d, 1)) {
    dates.push(d);
  }
  const index = new Map(dates.map((d, i) => [d, i]));
  const values = Object.fromEntries(METRICS.map((m) => [m.key, dates.map(() => 0)])) as Record<Metric, number[]>;
  const totals: DayFigures = { ...ZERO };
  for (const coupon of stats.coupons) {
    if (couponId !== null && coupon.couponId !== couponId) {
      continue;
    }
    for (const day of coupon.days) {
      const i = index.get(day.date);
      if (i === undefined) {
        continue;
      }
      for (const m of METRICS) {
        values[m.key][i] += day[m.key];
      }
    }
    for (const m of METRICS) {
      totals[m.key] += coupon.totals[m.key];
    }
  }
  return { dates, values, totals };
}

/** The overview's days as one series (the same shape as a store's, so the same charts draw it). */
export function overviewSeries(overview: StatsOverview): DaySeries {
  return daySeries(
    { storeId: 0, from: overview.from, to: overview.to, coupons: [{ couponId: 0, name: 'all', totals: overview.totals, days: overview.days }] },
    null,
  );
}

/** A round upper bound for a chart axis: 1, 2 or 5 times a power of ten, at least 1. */
export function niceMax(max: number): number {
  if (max <= 1) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) {
      return step * power;
    }
  }
  return 10 * power;
}
