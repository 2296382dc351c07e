// decline-rate-spike at low rates: at 5 payment attempts a second a one-minute window holds
// about 300 attempts, and the decline rate moves by a point or two from window to window with
// nothing wrong. The rule fired once from that noise alone in three hours of the simulator's
// normal traffic (seed 5, at 2 h 7 min: 12.9 % against a learned 6.5 % +/- 1.6 %). Its band now
// also asks for 5 standard errors of the window's share (ruleCondition.ts), so calm low-rate
// traffic does not page, while a decline spike at 5 and at 20 attempts a second is still caught
// within 3 minutes. The simulator's traffic, as the detection benchmark builds it.
import { describe, expect, it } from 'vitest';
import { simEvents, type SimTraffic } from '../../../bench/detection/traffic';
import { backtest } from './backtest';
import { DEFAULT_RULES } from './defaultRules';

const spikeRule = DEFAULT_RULES.find((r) => r.name === 'decline-rate-spike')!;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;

function run(traffic: SimTraffic, durationMs: number) {
  const r = backtest([spikeRule], simEvents(traffic, START), { endMs: START + durationMs });
  return r.alerts.filter((a) => a.firedAt !== null);
}

describe('decline-rate-spike at low rates', () => {
  it('2 h 8 min of normal traffic at 5 attempts/s (the seed whose noise fired it, at 2 h 7 min) pages nothing', () => {
    const durationMs = 128 * MINUTE;
    const fired = run({ kind: 'sim', seed: 5, attemptsPerSecond: 5, segments: [{ scenario: 'normal', durationMs, anomalyStartMs: durationMs, anomalyDurationMs: 0 }] }, durationMs);
    expect(fired.map((a) => `${(a.firedAt! - START) / 1000} s: ${a.summary}`)).toEqual([]);
  });

  it.each([
    [5, 20 * MINUTE],
    [20, 20 * MINUTE],
    [5, 20_000],
    [20, 20_000],
  ])('a decline spike at %i attempts/s, %i ms after the start, fires within 3 minutes', (attemptsPerSecond, spikeAt) => {
    const durationMs = spikeAt + 4 * MINUTE;
    const fired = run({ kind: 'sim', seed: 3, attemptsPerSecond, segments: [{ scenario: 'decline-spike', durationMs, anomalyStartMs: spikeAt, anomalyDurationMs: 3 * MINUTE }] }, durationMs);
    expect(fired.length).toBeGreaterThan(0);
    expect(fired[0].firedAt! - START).toBeGreaterThan(spikeAt);
    expect(fired[0].firedAt! - START - spikeAt).toBeLessThanOrEqual(3 * MINUTE);
  });
});
