import type { Coupon, CouponEditInput, CouponInput, DiscountType } from '../api/types';

/** The publish form as typed: every field a string, as inputs hold them. */
export interface CouponDraft {
  storeId: string;
  name: string;
  description: string;
  discountType: DiscountType;
  discountValue: string;
  minOrderAmount: string;
  maxDiscountAmount: string;
  totalQuantity: string;
  perUserLimit: string;
  /** empty: no daily limit */
  perUserDailyLimit: string;
  /** datetime-local values, in the browser's zone */
  issueStartsAt: string;
  issueEndsAt: string;
  validUntil: string;
  validDaysAfterIssue: string;
}

export type DraftErrors = Partial<Record<keyof CouponDraft, string>>;

const MAX_TOTAL_QUANTITY = 10_000_000;
const MAX_PER_USER_LIMIT = 100;
const MAX_VALID_DAYS = 3650;

function integer(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

function instant(local: string): Date | null {
  if (!local) {
    return null;
  }
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The same rules as POST /api/v1/coupons (API.md and the coupon-service request): answers the request
 * body, or the errors per field. The API remains the judge; its field errors are shown the same way.
 */
export function validateCoupon(d: CouponDraft, now: Date): { input?: CouponInput; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const storeId = integer(d.storeId);
  if (!storeId) {
    errors.storeId = 'Choose one of your stores';
  }
  const name = d.name.trim();
  if (!name) {
    errors.name = 'must not be blank';
  } else if ([...name].length > 100) {
    errors.name = 'size must be between 0 and 100';
  }
  if ([...d.description].length > 1000) {
    errors.description = 'size must be between 0 and 1000';
  }
  const discountValue = integer(d.discountValue);
  if (discountValue === null || discountValue <= 0) {
    errors.discountValue = 'must be a whole number greater than 0';
  } else if (d.discountType === 'PERCENT' && discountValue > 100) {
    errors.discountValue = 'must be between 1 and 100 for PERCENT';
  }
  const minOrder = d.minOrderAmount.trim() === '' ? undefined : integer(d.minOrderAmount);
  if (minOrder === null) {
    errors.minOrderAmount = 'must be a whole number of won, 0 or more';
  }
  const maxDiscount = d.maxDiscountAmount.trim() === '' ? undefined : integer(d.maxDiscountAmount);
  if (maxDiscount !== undefined) {
    if (d.discountType === 'FIXED') {
      errors.maxDiscountAmount = 'is allowed for PERCENT discounts only';
    } else if (maxDiscount === null || maxDiscount <= 0) {
      errors.maxDiscountAmount = 'must be a whole number greater than 0';
    }
  }
  const total = integer(d.totalQuantity);
  if (total === null || total < 1 || total > MAX_TOTAL_QUANTITY) {
    errors.totalQuantity = `must be between 1 and ${MAX_TOTAL_QUANTITY.toLocaleString('en')}`;
  }
  const perUser = d.perUserLimit.trim() === '' ? undefined : integer(d.perUserLimit);
  if (perUser !== undefined && (perUser === null || perUser < 1 || perUser > MAX_PER_USER_LIMIT)) {
    errors.perUserLimit = `must be between 1 and ${MAX_PER_USER_LIMIT}`;
  }
  const daily = (d.perUserDailyLimit ?? '').trim() === '' ? undefined : integer(d.perUserDailyLimit);
  if (daily !== undefined) {
    const limit = perUser ?? 1;
    if (daily === null || daily < 1) {
      errors.perUserDailyLimit = 'must be a whole number, 1 or more';
    } else if (perUser !== null && daily > limit) {
      errors.perUserDailyLimit = 'must not be more than perUserLimit';
    }
  }
  const starts = instant(d.issueStartsAt);
  const ends = instant(d.issueEndsAt);
  if (!starts) {
    errors.issueStartsAt = 'must not be null';
  }
  if (!ends) {
    errors.issueEndsAt = 'must not be null';
  } else if (starts && starts >= ends) {
    errors.issueEndsAt = 'must be after issueStartsAt';
  } else if (ends <= now) {
    errors.issueEndsAt = 'must be in the future';
  }
  const validUntil = d.validUntil ? instant(d.validUntil) : undefined;
  const validDays = d.validDaysAfterIssue.trim() === '' ? undefined : integer(d.validDaysAfterIssue);
  if (validDays !== undefined && (validDays === null || validDays < 1 || validDays > MAX_VALID_DAYS)) {
    errors.validDaysAfterIssue = `must be between 1 and ${MAX_VALID_DAYS}`;
  }
  if (validUntil === null) {
    errors.validUntil = 'is not a valid date and time';
  } else if (validUntil === undefined && validDays === undefined) {
    errors.validUntil = 'validUntil or validDaysAfterIssue is required';
  } else if (validUntil && ends && validUntil < ends) {
    errors.validUntil = 'must not be before issueEndsAt';
  }
  if (Object.keys(errors).length > 0) {
    return { errors };
  }
  const input: CouponInput = {
    storeId: storeId!,
    name,
    discountType: d.discountType,
    discountValue: discountValue!,
    totalQuantity: total!,
    issueStartsAt: starts!.toISOString(),
    issueEndsAt: ends!.toISOString(),
  };
  if (d.description.trim()) input.description = d.description.trim();
  if (minOrder !== undefined && minOrder !== null) input.minOrderAmount = minOrder;
  if (maxDiscount !== undefined && maxDiscount !== null) input.maxDiscountAmount = maxDiscount;
  if (perUser !== undefined && perUser !== null) input.perUserLimit = perUser;
  if (daily !== undefined && daily !== null) input.perUserDailyLimit = daily;
  if (validUntil) input.validUntil = validUntil.toISOString();
  if (validDays !== undefined && validDays !== null) input.validDaysAfterIssue = validDays;
  return { input, errors };
}

/** The edit form of a published coupon, as typed. */
export interface CouponEditDraft {
  name: string;
  description: string;
  totalQuantity: string;
  /** datetime-local, in the browser's zone */
  issueEndsAt: string;
}

export type EditErrors = Partial<Record<keyof CouponEditDraft, string>>;

/** The edit form filled with the coupon as it is. */
export function editDraftOf(coupon: Coupon): CouponEditDraft {
  return {
    name: coupon.name,
    description: coupon.description ?? '',
    totalQuantity: String(coupon.totalQuantity),
    issueEndsAt: localInputValue(new Date(coupon.issueEndsAt)),
  };
}

/**
 * The same rules as PATCH /api/v1/coupons/{id}: answers the request body with only what changed (an unchanged end
 * is not sent, so its seconds are kept), or the errors per field. The stock may not go below the units issued as the
 * page last read them; the API checks it again against the count of the moment (409 QUANTITY_BELOW_ISSUED).
 */
export function validateCouponEdit(coupon: Coupon, d: CouponEditDraft, now: Date): { input?: CouponEditInput; errors: EditErrors } {
  const errors: EditErrors = {};
  const before = editDraftOf(coupon);
  const input: CouponEditInput = {};
  const name = d.name.trim();
  if (!name) {
    errors.name = 'must not be blank';
  } else if ([...name].length > 100) {
    errors.name = 'size must be between 0 and 100';
  } else if (name !== coupon.name) {
    input.name = name;
  }
  const description = d.description.trim();
  if ([...description].length > 1000) {
    errors.description = 'size must be between 0 and 1000';
  } else if (description !== (coupon.description ?? '')) {
    input.description = description;
  }
  const total = integer(d.totalQuantity);
  if (total === null || total < 1 || total > MAX_TOTAL_QUANTITY) {
    errors.totalQuantity = `must be between 1 and ${MAX_TOTAL_QUANTITY.toLocaleString('en')}`;
  } else if (total < coupon.issuedQuantity) {
    errors.totalQuantity = `must be at least ${coupon.issuedQuantity.toLocaleString('en')}: that many are already claimed`;
  } else if (total !== coupon.totalQuantity) {
    input.totalQuantity = total;
  }
  if (d.issueEndsAt !== before.issueEndsAt) {
    const ends = instant(d.issueEndsAt);
    if (!ends) {
      errors.issueEndsAt = 'must not be null';
    } else if (ends <= now) {
      errors.issueEndsAt = 'must be in the future';
    } else if (ends <= new Date(coupon.issueStartsAt)) {
      errors.issueEndsAt = 'must be after issueStartsAt';
    } else if (coupon.validUntil && ends > new Date(coupon.validUntil)) {
      errors.issueEndsAt = 'must not be after validUntil';
    } else {
      input.issueEndsAt = ends.toISOString();
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { input, errors };
}

/** A datetime-local value (YYYY-MM-DDTHH:mm) for the given instant in the browser's zone. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
