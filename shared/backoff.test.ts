import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';

const mid = () => 0.5;
const low = () => 0;
const high = () => 0.999_999;

describe('backoffDelay', () => {
  it('doubles from initialMs per retry up to maxMs', () => {
    const opts: BackoffOptions = { initialMs: 200, maxMs: 15_000, jitter: 0.4 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, opts, mid))).toEqual([200, 400, 800, 1600, 3200, 6400, 12_800, 15_000]);
    expect(backoffDelay(1_000, opts, mid)).toBe(15_000);
  });

  it('jitters within ±jitter and never above maxMs', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, low)).toBe(400);
    expect(backoffDelay(1, DEFAULT_BACKOFF, high)).toBe(600);
    expect(backoffDelay(30, DEFAULT_BACKOFF, low)).toBe(8_000);
    expect(backoffDelay(30, DEFAULT_BACKOFF, high)).toBe(10_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(1 + (i % 12), DEFAULT_BACKOFF);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(10_000);
    }
  });

  it('treats 0 or a negative attempt as the first retry', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, mid)).toBe(500);
    expect(backoffDelay(-3, DEFAULT_BACKOFF, mid)).toBe(500);
  });
});
