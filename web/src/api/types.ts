// The resources of the public API (API.md), as the gateway returns them.

export type Role = 'SHOPPER' | 'OWNER' | 'ADMIN';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

export interface Page<T> {
  content: T[];
  page: number;
  size: number;
  totalElements: number;
  totalPages: number;
}

export const CATEGORIES = ['FOOD', 'CAFE', 'BEAUTY', 'FASHION', 'LIFESTYLE', 'ENTERTAINMENT', 'OTHER'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Store {
  id: number;
  ownerId: number;
  name: string;
  category: Category;
  address: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoreInput {
  name: string;
  category: Category;
  address: string;
  description?: string | null;
}

export type DiscountType = 'FIXED' | 'PERCENT';
export type CouponStatus = 'SCHEDULED' | 'ACTIVE' | 'SOLD_OUT' | 'ENDED';

export interface Coupon {
  id: number;
  storeId: number;
  storeName: string;
  name: string;
  description: string | null;
  discountType: DiscountType;
  discountValue: number;
  minOrderAmount: number;
  maxDiscountAmount: number | null;
  totalQuantity: number;
  issuedQuantity: number;
  remainingQuantity: number;
  perUserLimit: number;
  /** at most this many claims by one shopper per calendar day (service zone); null: no daily limit */
  perUserDailyLimit: number | null;
  issueStartsAt: string;
  issueEndsAt: string;
  validUntil: string | null;
  validDaysAfterIssue: number | null;
  status: CouponStatus;
  createdAt: string;
}

export interface CouponInput {
  storeId: number;
  name: string;
  description?: string;
  discountType: DiscountType;
  discountValue: number;
  minOrderAmount?: number;
  maxDiscountAmount?: number;
  totalQuantity: number;
  perUserLimit?: number;
  perUserDailyLimit?: number;
  issueStartsAt: string;
  issueEndsAt: string;
  validUntil?: string;
  validDaysAfterIssue?: number;
}

/** PATCH /api/v1/coupons/{id}: an absent field is left as it is; an empty description removes it. */
export interface CouponEditInput {
  name?: string;
  description?: string;
  totalQuantity?: number;
  issueEndsAt?: string;
}

export type IssuedStatus = 'ISSUED' | 'REDEEMED' | 'EXPIRED';

export interface IssuedCoupon {
  id: number;
  couponId: number;
  userId: number;
  code: string;
  status: IssuedStatus;
  issuedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
  orderId: string | null;
  discountAmount: number | null;
  coupon: {
    name: string;
    storeId: number;
    storeName: string;
    discountType: DiscountType;
    discountValue: number;
    minOrderAmount: number;
    maxDiscountAmount: number | null;
  };
}

/** An API key of a store, as listed (never the key itself). */
export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A new API key: `key` is in this answer only. */
export interface CreatedApiKey {
  id: number;
  name: string;
  prefix: string;
  key: string;
  createdAt: string;
}

/** The answer of a grant: per shopper, the unit given or the reason it was not. */
export interface GrantResult {
  issued: { userId: number; issuedCouponId: number; code: string }[];
  refused: { userId: number; code: string }[];
}

export interface Redemption {
  issuedCouponId: number;
  orderId: string;
  orderAmount: number;
  discountAmount: number;
  finalAmount: number;
  redeemedAt: string;
  /** Who redeemed it: the holder (SELF) or the store by code (COUNTER); only they may cancel it. */
  channel: 'SELF' | 'COUNTER';
}

/** What a redemption would give, changing nothing; `reason` is the code it would fail with. */
export interface RedemptionPreview {
  redeemable: boolean;
  reason: 'COUPON_EXPIRED' | 'MIN_ORDER_NOT_MET' | 'ALREADY_REDEEMED' | null;
  discountAmount: number;
  finalAmount: number;
}

export interface Subscription {
  storeId: number;
  storeName: string;
  createdAt: string;
}

export type NotificationType = 'COUPON_PUBLISHED' | 'COUPON_OPENED' | 'COUPON_CLAIMED' | 'COUPON_GRANTED' | 'COUPON_EXPIRING' | 'COUPON_REDEEMED';

export interface Notification {
  id: number;
  type: NotificationType;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface Recommendations {
  items: { couponId: number; name: string; storeId: number; storeName: string; reason: string }[];
  source: 'GEMINI' | 'FALLBACK';
  generatedAt: string;
}

export interface DayFigures {
  issued: number;
  redeemed: number;
  cancelled: number;
  expired: number;
  discountTotal: number;
}

/** GET /api/v1/stats/overview (ADMIN): every store's figures per day, and the leaders of the range. */
export interface StatsOverview {
  from: string;
  to: string;
  totals: DayFigures;
  days: (DayFigures & { date: string })[];
  topStores: { storeId: number; storeName: string | null; issued: number; redeemed: number; discountTotal: number }[];
  topCoupons: { couponId: number; name: string; storeId: number; issued: number; redeemed: number }[];
}

export interface CouponStats {
  storeId: number;
  from: string;
  to: string;
  coupons: {
    couponId: number;
    name: string;
    totals: DayFigures;
    days: (DayFigures & { date: string })[];
  }[];
}
