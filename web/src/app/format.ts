import type { Category, Coupon, CouponStatus, IssuedCoupon } from '../api/types';

const won = new Intl.NumberFormat('ko-KR');

export function formatWon(amount: number): string {
  return `${won.format(amount)}원`;
}

export function formatCount(n: number): string {
  return won.format(n);
}

type Discount = Pick<Coupon, 'discountType' | 'discountValue' | 'maxDiscountAmount' | 'minOrderAmount'>;

/** "2,000원 off" or "10% off (up to 5,000원)". */
export function discountLabel(c: Discount): string {
  if (c.discountType === 'PERCENT') {
    const cap = c.maxDiscountAmount ? ` (up to ${formatWon(c.maxDiscountAmount)})` : '';
    return `${c.discountValue}% off${cap}`;
  }
  return `${formatWon(c.discountValue)} off`;
}

export function conditionsLabel(c: Discount): string | null {
  return c.minOrderAmount > 0 ? `Orders of ${formatWon(c.minOrderAmount)} or more` : null;
}

export const CATEGORY_LABELS: Record<Category, string> = {
  FOOD: 'Food 음식',
  CAFE: 'Cafe 카페',
  BEAUTY: 'Beauty 뷰티',
  FASHION: 'Fashion 패션',
  LIFESTYLE: 'Lifestyle 생활',
  ENTERTAINMENT: 'Entertainment 여가',
  OTHER: 'Other 기타',
};

export const STATUS_LABELS: Record<CouponStatus, string> = {
  SCHEDULED: 'Coming soon',
  ACTIVE: 'Available',
  SOLD_OUT: 'Sold out',
  ENDED: 'Ended',
};

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** The code in groups of four, easier to read out and to type at a counter. */
export function groupedCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}

export function issuedLabel(c: IssuedCoupon): string {
  switch (c.status) {
    case 'ISSUED':
      return `Use by ${formatDateTime(c.expiresAt)}`;
    case 'REDEEMED':
      return `Used ${formatDateTime(c.redeemedAt)}`;
    default:
      return `Expired ${formatDateTime(c.expiresAt)}`;
  }
}

/** Today's date (YYYY-MM-DD) in the given zone; the stats API counts calendar days in the service zone. */
export function isoDate(date: Date, timeZone = 'Asia/Seoul'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  return parts;
}

export function addDays(isoDay: string, days: number): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A random id; crypto.randomUUID exists only in secure contexts (https or localhost), getRandomValues everywhere. */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
