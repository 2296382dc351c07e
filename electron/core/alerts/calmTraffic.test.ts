// The default pack on calm traffic from a fresh start must stay quiet. fraud-share-high judges
// the blocked share of the last hour, and without a pending period it fired on the first tick
// with its 10 decisions (a block or two among the first seconds' decisions is "over 3 %"), on
// the simulator's normal traffic at 20 events/s (1.1 % blocked), and then kept firing its 2 hours.
import { describe, expect, it } from 'vitest';
import { createTrafficGenerator } from '../sim';
import { backtest } from './backtest';
import { DEFAULT_RULES } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);

function* normal(rate: number, durationMs: number, seed: number): Generator<AlertInputEvent> {
  const gen = createTrafficGenerator({ seed, scenario: 'normal', startMs: START, rate });
  while (gen.nextTimeMs() < START + durationMs) {
    const e = gen.next();
    const d = e.data as { merchantId?: string; country?: string; score?: number };
    yield { type: e.type, timeMs: Date.parse(e.time), merchantId: d.merchantId ?? null, country: d.country ?? null, score: d.score ?? null };
  }
}

describe('the default pack on calm traffic from a fresh start', () => {
  it.each([7, 42])('30 minutes of normal traffic at 20 events/s (seed %i) fire nothing', (seed) => {
    const r = backtest(DEFAULT_RULES, normal(20, 30 * 60_000, seed), { endMs: START + 30 * 60_000 });
    expect(r.alerts.map((a) => `${a.rule}: ${a.summary}`)).toEqual([]);
  });
});
