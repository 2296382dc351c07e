// A forgotten group's ring is reused by the next new group: what the old group counted must
// never show in the new one's windows, whether the ring is reused as it is or after growing.
import { describe, expect, it } from 'vitest';
import { EventGroups, GroupSeries } from './eventGroups';
import { RingPool } from './ringPool';
import { TYPE_INDEX, TYPE_SLOTS } from '../metrics/secondBuckets';

const AUTHORIZED = TYPE_INDEX.get('payment.authorized')!;
const DECLINED = TYPE_INDEX.get('payment.declined')!;

describe('RingPool', () => {
  it('gives a new group a used ring that counts only its own events', () => {
    const pool = new RingPool(4, TYPE_SLOTS, 8);
    const old = new GroupSeries(100, 1000, { scores: false, lags: false }, 600, pool);
    for (let s = 1000; s < 1004; s++) for (let n = 0; n < 5; n++) old.add(s, { type: 'payment.declined', timeMs: s * 1000 });
    old.release();
    const fresh = new GroupSeries(100, 1002, { scores: false, lags: false }, 600, pool);
    fresh.add(1002, { type: 'payment.authorized', timeMs: 1_002_000 });
    const agg = fresh.window(990, 1010);
    expect(agg.counts[AUTHORIZED]).toBe(1);
    expect(agg.counts[DECLINED]).toBe(0);
    expect(agg.total(null)).toBe(1);
  });

  it('keeps the windows of groups made again after a sweep equal to those of groups never pooled', () => {
    const dims = new Map([['merchant' as const, { scores: false, lags: false }]]);
    const capacity = new Map([['merchant' as const, 40]]);
    const pooled = new EventGroups(dims, capacity, 5, () => false);
    let seed = 3;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const kept: { merchant: string; second: number; type: string }[] = [];
    let second = 10_000;
    for (let k = 0; k < 3000; k++) {
      second += Math.floor(rnd() * 4);
      const merchant = `m${Math.floor(rnd() * 12)}`;
      const type = rnd() < 0.3 ? 'payment.declined' : 'payment.authorized';
      pooled.add({ type, timeMs: second * 1000, merchantId: merchant }, second);
      kept.push({ merchant, second, type });
      if (k % 20 === 0) pooled.sweep(second - 10);
      if (k % 7 === 0) {
        for (const [m, series] of pooled.groups('merchant')) {
          const agg = series.window(second - 30, second + 1);
          // What a ring of this group's own events holds: those since the group was (re)made.
          const since = series.firstSecond;
          const own = kept.filter((e) => e.merchant === m && e.second >= Math.max(second - 30, since) && e.second <= second && e.second > second - 40);
          expect(agg.counts[DECLINED], `step ${k} ${m}`).toBe(own.filter((e) => e.type === 'payment.declined').length);
          expect(agg.counts[AUTHORIZED], `step ${k} ${m}`).toBe(own.filter((e) => e.type === 'payment.authorized').length);
        }
      }
    }
  });
});
