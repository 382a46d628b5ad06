import { describe, expect, it } from 'vitest';
import { parseShopperNumbers, refusalReason } from './grants';

describe('parseShopperNumbers', () => {
  it('reads numbers separated by commas, spaces and lines, with or without #, repeats once', () => {
    expect(parseShopperNumbers(' 12, #7\n12 99;7 ')).toEqual({ ids: [12, 7, 99] });
  });

  it('refuses an empty text, a word, zero and a negative number, naming the entry', () => {
    expect(parseShopperNumbers(' \n ')).toEqual({ error: 'Enter at least one shopper number.' });
    expect(parseShopperNumbers('12, kim')).toEqual({ error: '“kim” is not a shopper number.' });
    expect(parseShopperNumbers('0')).toEqual({ error: '“0” is not a shopper number.' });
    expect(parseShopperNumbers('-3')).toEqual({ error: '“-3” is not a shopper number.' });
  });

  it('takes up to 1,000 different shoppers', () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(parseShopperNumbers(thousand.join(' '))).toEqual({ ids: thousand });
    expect(parseShopperNumbers(`${thousand.join(' ')} 1`)).toEqual({ ids: thousand });
    expect(parseShopperNumbers(`${thousand.join(' ')} 1001`)).toEqual({
      error: 'At most 1,000 shoppers at a time (1,001 entered).',
    });
  });
});

describe('refusalReason', () => {
  it('says each documented refusal in words and shows an unknown code as it is', () => {
    expect(refusalReason('SOLD_OUT')).toBe('none left');
    expect(refusalReason('USER_NOT_FOUND')).toBe('no such shopper');
    expect(refusalReason('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});
