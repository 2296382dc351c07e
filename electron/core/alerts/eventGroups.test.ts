// The per-group ring starts with a few slots and grows as seconds arrive; whatever the order
// (late events within the allowance included), its window sums are those of the events kept.
import { describe, expect, it } from 'vitest';
import { GroupSeries } from './eventGroups';
import { TYPE_INDEX } from '../metrics/secondBuckets';

const TYPES = ['payment.authorized', 'payment.declined', 'risk.scored'];

describe('GroupSeries', () => {
  it('sums any window like a plain list of the events it accepted, sparse or dense, in order or late', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let run = 0; run < 200; run++) {
      const capacity = 5 + Math.floor(rnd() * 200);
      const start = 1_000_000 + Math.floor(rnd() * 1000);
      const series = new GroupSeries(capacity, start, { scores: true, lags: false });
      const kept: { second: number; type: string; score: number }[] = [];
      let newest = start;
      const dense = rnd() < 0.5;
      for (let k = 0; k < 300; k++) {
        // Mostly forward in time (dense: a second or two; sparse: up to a minute), sometimes late.
        const step = dense ? Math.floor(rnd() * 3) : Math.floor(rnd() * 60);
        const second = rnd() < 0.15 ? newest - Math.floor(rnd() * capacity * 1.2) : newest + step;
        const type = TYPES[Math.floor(rnd() * TYPES.length)];
        const score = Math.floor(rnd() * 100);
        const accepted = series.add(second, { type, timeMs: second * 1000, score });
        expect(accepted).toBe(second > Math.max(newest, second) - capacity);
        if (accepted) kept.push({ second, type, score });
        newest = Math.max(newest, second);
        if (k % 25 === 0) {
          const to = newest + 1;
          const from = to - 1 - Math.floor(rnd() * capacity);
          const agg = series.window(from, to);
          const inWindow = kept.filter((e) => e.second >= from && e.second < to && e.second > newest - capacity);
          for (const t of TYPES) expect(agg.counts[TYPE_INDEX.get(t)!], `run ${run} ${t}`).toBe(inWindow.filter((e) => e.type === t).length);
          // Every event here carries a score: the window's histogram holds them all.
          expect(agg.scores().count).toBe(inWindow.length);
        }
      }
    }
  });

  it('keeps a long window\'s sums running from tick to tick, equal to summing it afresh, through late events, gaps and ring growth', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let run = 0; run < 150; run++) {
      const capacity = 20 + Math.floor(rnd() * 300);
      const lateness = Math.floor(rnd() * Math.min(30, capacity / 2));
      const start = 2_000_000 + Math.floor(rnd() * 1000);
      // Every window of 1 second or more runs: the whole mechanism, on small rings.
      const series = new GroupSeries(capacity, start, { scores: true, lags: false }, 1);
      const lengths = [capacity - lateness, Math.max(1, Math.floor((capacity - lateness) / 3))];
      const kept: { second: number; type: string }[] = [];
      let newest = start;
      let tick = start;
      const dense = rnd() < 0.5;
      for (let k = 0; k < 400; k++) {
        const gap = rnd() < 0.03 ? Math.floor(rnd() * capacity * 3) : dense ? Math.floor(rnd() * 3) : Math.floor(rnd() * 40);
        const second = rnd() < 0.15 ? newest - Math.floor(rnd() * capacity * 1.2) : newest + gap;
        const type = TYPES[Math.floor(rnd() * TYPES.length)];
        if (series.add(second, { type, timeMs: second * 1000, score: 1 })) kept.push({ second, type });
        newest = Math.max(newest, second);
        // Ticks trail the newest event by the lateness allowance, some steps at a time, and
        // now and then jump (a long gap) or go back (another evaluator's view).
        const target = newest - lateness;
        const to = rnd() < 0.05 ? target - Math.floor(rnd() * capacity) : Math.min(target, tick + 1 + Math.floor(rnd() * 12));
        if (to <= tick && rnd() < 0.9) continue;
        tick = to;
        for (const length of lengths) {
          const agg = series.window(to - length, to);
          const inWindow = kept.filter((e) => e.second >= to - length && e.second < to && e.second > newest - capacity);
          for (const t of TYPES) expect(agg.counts[TYPE_INDEX.get(t)!], `run ${run} step ${k} length ${length} ${t}`).toBe(inWindow.filter((e) => e.type === t).length);
          expect(agg.scores().count, `run ${run} step ${k} scores`).toBe(inWindow.length);
        }
      }
    }
  });
});
