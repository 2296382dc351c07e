import { describe, expect, it } from 'vitest';
import { batchWithinCredit } from './batchWithinCredit';

describe('batchWithinCredit', () => {
  it('commits at half the prefetch when the batch would not fit in the broker credit', () => {
    expect(batchWithinCredit(10_000, 1000)).toBe(500);
    expect(batchWithinCredit(5000, 5000)).toBe(2500);
  });
  it('keeps the batch size that already leaves credit in flight', () => {
    expect(batchWithinCredit(5000, 10_000)).toBe(5000);
    expect(batchWithinCredit(100, 65_535)).toBe(100);
  });
  it('never goes below one message, and leaves sessions without a broker alone', () => {
    expect(batchWithinCredit(5000, 1)).toBe(1);
    expect(batchWithinCredit(5000, undefined)).toBe(5000);
  });
});
