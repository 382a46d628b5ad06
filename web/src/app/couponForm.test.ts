import { describe, expect, it } from 'vitest';
import { editDraftOf, validateCoupon, validateCouponEdit, type CouponDraft, type CouponEditDraft } from './couponForm';

const NOW = new Date('2026-11-21T09:00:00Z');

function draft(changes: Partial<CouponDraft> = {}): CouponDraft {
  return {
    storeId: '3',
    name: ' Americano 2,000원 off ',
    description: '',
    discountType: 'FIXED',
    discountValue: '2000',
    minOrderAmount: '',
    maxDiscountAmount: '',
    totalQuantity: '100',
    perUserLimit: '1',
    perUserDailyLimit: '',
    issueStartsAt: '2026-11-21T10:00',
    issueEndsAt: '2026-12-21T10:00',
    validUntil: '',
    validDaysAfterIssue: '30',
    ...changes,
  };
}

describe('validateCoupon', () => {
  it('a valid draft becomes the API request, trimmed and with ISO instants', () => {
    const { input, errors } = validateCoupon(draft(), NOW);
    expect(errors).toEqual({});
    expect(input).toMatchObject({
      storeId: 3,
      name: 'Americano 2,000원 off',
      discountType: 'FIXED',
      discountValue: 2000,
      totalQuantity: 100,
      perUserLimit: 1,
      validDaysAfterIssue: 30,
    });
    expect(input!.issueStartsAt).toBe(new Date('2026-11-21T10:00').toISOString());
    expect(input!.description).toBeUndefined();
  });

  it.each([
    [{ discountType: 'PERCENT', discountValue: '101' }, 'discountValue', 'must be between 1 and 100 for PERCENT'],
    [{ discountValue: '0' }, 'discountValue', 'must be a whole number greater than 0'],
    [{ maxDiscountAmount: '5000' }, 'maxDiscountAmount', 'is allowed for PERCENT discounts only'],
    [{ totalQuantity: '10000001' }, 'totalQuantity', 'must be between 1 and 10,000,000'],
    [{ perUserLimit: '101' }, 'perUserLimit', 'must be between 1 and 100'],
    [{ issueEndsAt: '2026-11-21T09:30', issueStartsAt: '2026-11-21T10:00' }, 'issueEndsAt', 'must be after issueStartsAt'],
    [{ issueStartsAt: '2026-01-01T00:00', issueEndsAt: '2026-02-01T00:00' }, 'issueEndsAt', 'must be in the future'],
    [{ validDaysAfterIssue: '' }, 'validUntil', 'validUntil or validDaysAfterIssue is required'],
    [{ validUntil: '2026-12-01T00:00' }, 'validUntil', 'must not be before issueEndsAt'],
    [{ name: '   ' }, 'name', 'must not be blank'],
    [{ storeId: '' }, 'storeId', 'Choose one of your stores'],
  ] as const)('rejects %o on %s like the API', (changes, field, message) => {
    const { input, errors } = validateCoupon(draft(changes as Partial<CouponDraft>), NOW);
    expect(input).toBeUndefined();
    expect(errors[field as keyof CouponDraft]).toBe(message);
  });

  it('a percent discount may have a cap', () => {
    const { input } = validateCoupon(draft({ discountType: 'PERCENT', discountValue: '10', maxDiscountAmount: '5000' }), NOW);
    expect(input).toMatchObject({ discountType: 'PERCENT', discountValue: 10, maxDiscountAmount: 5000 });
  });
});

describe('perUserDailyLimit', () => {
  it('is optional, sent when given, and not above the per-shopper limit (1 when left empty)', () => {
    expect(validateCoupon(draft(), NOW).input!.perUserDailyLimit).toBeUndefined();
    expect(validateCoupon(draft({ perUserLimit: '5', perUserDailyLimit: '2' }), NOW).input!.perUserDailyLimit).toBe(2);
    expect(validateCoupon(draft({ perUserLimit: '2', perUserDailyLimit: '3' }), NOW).errors.perUserDailyLimit).toBe('must not be more than perUserLimit');
    expect(validateCoupon(draft({ perUserLimit: '', perUserDailyLimit: '2' }), NOW).errors.perUserDailyLimit).toBe('must not be more than perUserLimit');
    expect(validateCoupon(draft({ perUserDailyLimit: '0' }), NOW).errors.perUserDailyLimit).toBeDefined();
  });
});

describe('validateCouponEdit', () => {
  const coupon = {
    id: 7,
    storeId: 3,
    storeName: 'Cafe',
    name: 'Americano',
    description: 'Morning only',
    discountType: 'FIXED',
    discountValue: 2000,
    minOrderAmount: 0,
    maxDiscountAmount: null,
    totalQuantity: 100,
    issuedQuantity: 40,
    remainingQuantity: 60,
    perUserLimit: 1,
    perUserDailyLimit: null,
    issueStartsAt: '2026-11-20T00:00:00Z',
    issueEndsAt: '2026-11-30T00:00:00Z',
    validUntil: '2026-12-31T00:00:00Z',
    validDaysAfterIssue: null,
    status: 'ACTIVE',
    createdAt: '2026-11-19T00:00:00Z',
  } as const;
  const edit = (changes: Partial<CouponEditDraft> = {}) => validateCouponEdit({ ...coupon }, { ...editDraftOf({ ...coupon }), ...changes }, NOW);

  it('sends only what changed, trimmed; nothing changed is an empty body', () => {
    expect(edit()).toEqual({ input: {}, errors: {} });
    expect(edit({ name: ' Latte ', totalQuantity: '150' }).input).toEqual({ name: 'Latte', totalQuantity: 150 });
    expect(edit({ description: '  ' }).input).toEqual({ description: '' });
    expect(edit({ issueEndsAt: '2026-12-01T10:00' }).input).toEqual({ issueEndsAt: new Date('2026-12-01T10:00').toISOString() });
  });

  it('refuses a stock below the units claimed, a blank name and an end out of bounds', () => {
    expect(edit({ totalQuantity: '39' }).errors.totalQuantity).toContain('at least 40');
    expect(edit({ totalQuantity: '40' }).input).toEqual({ totalQuantity: 40 });
    expect(edit({ totalQuantity: '0' }).errors.totalQuantity).toBeDefined();
    expect(edit({ name: '  ' }).errors.name).toBe('must not be blank');
    expect(edit({ issueEndsAt: '2026-11-20T12:00' }).errors.issueEndsAt).toBe('must be in the future');
    expect(edit({ issueEndsAt: '2027-01-02T00:00' }).errors.issueEndsAt).toBe('must not be after validUntil');
    expect(edit({ issueEndsAt: '' }).errors.issueEndsAt).toBe('must not be null');
    expect(edit({ totalQuantity: '39' }).input).toBeUndefined();
  });
});
