import { describe, expect, it } from 'vitest';
import { histogramQuantile, latencyBucket } from './latencyHistogram';

/** The histogram of `latencies` as the rollups store it (bucket -> count). */
function histogramOf(latencies: number[]): Map<number, number> {
  const h = new Map<number, number>();
  for (const ms of latencies) {
    const b = latencyBucket(ms);
    if (b !== null) h.set(b, (h.get(b) ?? 0) + 1);
  }
  return h;
}

describe('latency histogram', () => {
  it('reads a percentile within 4.5 % of the exact one, from under a millisecond to hours', () => {
    for (const ms of [0.5, 3, 183, 2_500, 15_000, 90_000, 300_000, 3_600_000, 12 * 3_600_000]) {
      const p = histogramQuantile(histogramOf([ms]), 0.99)!;
      expect(Math.abs(p - ms) / (ms + 1), `${ms} ms`).toBeLessThan(0.045);
    }
  });

  it('counts nothing for a negative or non-finite latency, and gives no percentile of nothing', () => {
    expect([-1, NaN, Infinity].map(latencyBucket)).toEqual([null, null, null]);
    expect(histogramQuantile(new Map(), 0.5)).toBeNull();
  });
});
