import { describe, expect, it } from 'vitest';
import type { CouponStats } from '../api/types';
import { groupedCode, discountLabel } from './format';
import { daySeries, niceMax } from './stats';

const day = (date: string, issued: number, redeemed = 0, discountTotal = 0) => ({ date, issued, redeemed, cancelled: 0, expired: 0, discountTotal });

const STATS: CouponStats = {
  storeId: 1,
  from: '2026-11-19',
  to: '2026-11-21',
  coupons: [
    { couponId: 10, name: 'A', totals: { issued: 3, redeemed: 1, cancelled: 0, expired: 0, discountTotal: 2000 }, days: [day('2026-11-19', 1), day('2026-11-21', 2, 1, 2000)] },
    { couponId: 11, name: 'B', totals: { issued: 4, redeemed: 0, cancelled: 0, expired: 0, discountTotal: 0 }, days: [day('2026-11-21', 4)] },
  ],
};

describe('daySeries', () => {
  it('sums every coupon per day with every date of the range present', () => {
    const s = daySeries(STATS, null);
    expect(s.dates).toEqual(['2026-11-19', '2026-11-20', '2026-11-21']);
    expect(s.values.issued).toEqual([1, 0, 6]);
    expect(s.values.discountTotal).toEqual([0, 0, 2000]);
    expect(s.totals.issued).toBe(7);
  });

  it('keeps one coupon when asked', () => {
    const s = daySeries(STATS, 11);
    expect(s.values.issued).toEqual([0, 0, 4]);
    expect(s.totals.redeemed).toBe(0);
  });
});

describe('chart and code helpers', () => {
  it('rounds axis maxima up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 12, 180, 2001].map(niceMax)).toEqual([1, 1, 5, 10, 20, 200, 5000]);
  });

  it('groups codes by four and labels discounts', () => {
    expect(groupedCode('AB12CD34EF')).toBe('AB12 CD34 EF');
    expect(discountLabel({ discountType: 'FIXED', discountValue: 2000, maxDiscountAmount: null, minOrderAmount: 0 })).toBe('2,000원 off');
    expect(discountLabel({ discountType: 'PERCENT', discountValue: 10, maxDiscountAmount: 5000, minOrderAmount: 0 })).toBe('10% off (up to 5,000원)');
  });
});
