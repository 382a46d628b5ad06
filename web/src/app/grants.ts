/** The grant form of an owner's coupon: shopper numbers typed or pasted, and the answer told per shopper. */

export const MAX_GRANT = 1000;

/**
 * The shopper numbers in a text: separated by commas, spaces or lines, each optionally written `#123`. Repeats are
 * kept once, in the order first seen (the API would answer them once too).
 */
export function parseShopperNumbers(text: string): { ids: number[] } | { error: string } {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  if (tokens.length === 0) {
    return { error: 'Enter at least one shopper number.' };
  }
  const ids: number[] = [];
  const seen = new Set<number>();
  for (const token of tokens) {
    const digits = token.startsWith('#') ? token.slice(1) : token;
    if (!/^\d{1,15}$/.test(digits) || Number(digits) <= 0) {
      return { error: `“${token}” is not a shopper number.` };
    }
    const id = Number(digits);
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  if (ids.length > MAX_GRANT) {
    return { error: `At most ${MAX_GRANT.toLocaleString('en-US')} shoppers at a time (${ids.length.toLocaleString('en-US')} entered).` };
  }
  return { ids };
}

const REASONS: Record<string, string> = {
  SOLD_OUT: 'none left',
  CLAIM_LIMIT_REACHED: 'already has as many as allowed',
  DAILY_LIMIT_REACHED: 'already got as many as allowed today',
  USER_NOT_FOUND: 'no such shopper',
  NOT_A_SHOPPER: 'not a shopper account',
  CLAIM_WINDOW_CLOSED: 'the coupon ended meanwhile',
  DEPENDENCY_UNAVAILABLE: 'not given now; give again to retry',
  CONCURRENT_MODIFICATION: 'not given now; give again to retry',
};

/** Why a shopper was not given a unit, in words. */
export function refusalReason(code: string): string {
  return REASONS[code] ?? code;
}
