// The whole stream's windows keep their score and lag histograms running from tick to tick
// (eventGroups.ts, RunningSum): a tick merges the seconds that entered the window and takes out
// those that left, instead of merging every second of it again. Whatever the stream (late and
// out-of-order events, gaps longer than the window, ticks that jump or go back), the running
// histogram must be the one merged afresh: the same count and the same bin at every quantile.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GroupSeries } from './eventGroups';
import type { AlertInputEvent } from './eventCounters';

type Op =
  | { kind: 'event'; late: boolean; step: number; gap: number | null; back: number; score: number | null; lagMs: number | null }
  | { kind: 'tick'; advance: number; back: number; jumpBack: boolean; read: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({
    kind: fc.constant('event' as const),
    late: fc.boolean(),
    // Forward by a few seconds, now and then by up to three rings (a gap longer than any window).
    step: fc.integer({ min: 0, max: 4 }),
    gap: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 3, noNaN: true }) }),
    back: fc.integer({ min: 0, max: 400 }),
    score: fc.option(fc.oneof(fc.integer({ min: -5, max: 105 }), fc.double({ min: 0, max: 100, noNaN: true })), { nil: null }),
    lagMs: fc.option(fc.oneof(fc.integer({ min: -100, max: 5000 }), fc.integer({ min: 0, max: 86_400_000 })), { nil: null }),
  }) },
  { weight: 2, arbitrary: fc.record({
    kind: fc.constant('tick' as const),
    advance: fc.integer({ min: 0, max: 30 }),
    back: fc.integer({ min: 0, max: 300 }),
    jumpBack: fc.boolean(),
    read: fc.boolean(),
  }) },
);

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

describe('running score and lag histograms', () => {
  it('equal the histograms merged afresh from the seconds, over random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 200 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(op, { minLength: 1, maxLength: 400 }),
        (capacity, lateness, ops) => {
          const start = 3_000_000;
          const needs = { scores: true, lags: true };
          // runningFrom 1: every window runs (as the whole stream's); Infinity: none (merged afresh).
          const running = new GroupSeries(capacity, start, needs, 1);
          const afresh = new GroupSeries(capacity, start, needs, Infinity);
          const lengths = [Math.max(1, capacity - lateness - 1), Math.max(1, Math.floor(capacity / 3))];
          let newest = start;
          let tick = start;
          for (const o of ops) {
            if (o.kind === 'event') {
              const second = o.late ? newest - (o.back % (capacity + 10)) : newest + (o.gap === null ? o.step : Math.floor(o.gap * capacity));
              const e: AlertInputEvent = { type: 'risk.scored', timeMs: second * 1000 + 500 };
              if (o.score !== null) e.score = o.score;
              if (o.lagMs !== null) e.arrivalMs = e.timeMs! + o.lagMs;
              expect(running.add(second, e)).toBe(afresh.add(second, e));
              newest = Math.max(newest, second);
              continue;
            }
            // Ticks trail the newest event, a few seconds at a time, now and then going back.
            tick = o.jumpBack ? tick - (o.back % capacity) : Math.min(newest - lateness, tick + o.advance);
            for (const length of lengths) {
              const a = running.window(tick - length, tick);
              const b = afresh.window(tick - length, tick);
              // A window read without its histograms still moves them on (a tick whose rules read counts only).
              if (!o.read) continue;
              const sa = a.scores();
              const sb = b.scores();
              expect(sa.count).toBe(sb.count);
              for (const q of QUANTILES) expect(sa.quantileBin(q), `scores q${q}`).toBe(sb.quantileBin(q));
              const la = a.lags();
              const lb = b.lags();
              expect(la.count).toBe(lb.count);
              expect([...la.bins].sort((x, y) => x[0] - y[0])).toEqual([...lb.bins].sort((x, y) => x[0] - y[0]));
            }
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('lose the seconds the ring drops while the window still spans them (a gap longer than the ring)', () => {
    const s0 = 3_000_000;
    const running = new GroupSeries(100, s0, { scores: true, lags: true }, 1);
    const afresh = new GroupSeries(100, s0, { scores: true, lags: true }, Infinity);
    const both = (second: number, score: number) => {
      for (const g of [running, afresh]) g.add(second, { type: 'risk.scored', timeMs: second * 1000, score, arrivalMs: second * 1000 + score });
    };
    for (let k = 0; k < 50; k++) both(s0 + k, 90);
    expect(running.window(s0 - 49, s0 + 50).scores().count).toBe(50);
    // 1,000 s later: every second of the window has left the 100-second ring.
    both(s0 + 1050, 10);
    const a = running.window(s0 - 39, s0 + 60);
    const b = afresh.window(s0 - 39, s0 + 60);
    expect(b.scores().count).toBe(0);
    expect(a.scores().count).toBe(0);
    expect(a.scores().quantileBin(0.95)).toBeNull();
    expect(a.lags().count).toBe(0);
    expect(a.lags().bins.size).toBe(0);
  });
});
