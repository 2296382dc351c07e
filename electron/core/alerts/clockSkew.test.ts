// Producers whose clocks disagree by minutes, and events that arrive after their window was
// judged. The evaluator's clock follows the newest event time, so one producer ahead carries
// every tick ahead of the others, and a producer behind stamps its events into windows already
// judged: either way the events of the others never counted, and an incident in them was missed.
import { describe, expect, it } from 'vitest';
import { createTrafficGenerator, type ScenarioName } from '../sim';
import { backtest } from './backtest';
import { DEFAULT_RULES } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';
import { AlertEvaluator } from './alertEvaluator';
import { payments, rule, sec } from '../../../test/support/alertTestKit';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const ONSET = START + 20_000;

/**
 * The simulator's scenario in arrival order (true time), with the events of the producers
 * `skewed` picks stamped `skewMs` off their true time, as a producer with a wrong clock does.
 */
function skewedSim(scenario: ScenarioName, durationMs: number, skewMs: number, skewed: (source: string) => boolean): AlertInputEvent[] {
  const gen = createTrafficGenerator({ seed: 42, scenario, startMs: START, rate: 200 });
  const out: AlertInputEvent[] = [];
  while (gen.nextTimeMs() < START + durationMs) {
    const e = gen.next();
    const d = e.data as { merchantId?: string; country?: string; score?: number };
    const t = Date.parse(e.time);
    out.push({ type: e.type, timeMs: skewed(e.source) ? t + skewMs : t, arrivalMs: t, merchantId: d.merchantId ?? null, country: d.country ?? null, score: d.score ?? null });
  }
  return out;
}

const declineSpikes = (events: AlertInputEvent[]) =>
  backtest(DEFAULT_RULES, events, { endMs: START + 380_000 }).alerts.filter((a) => a.rule === 'decline-rate-spike' && a.firedAt !== null);

describe('producers whose clocks are minutes apart', () => {
  it('a risk engine whose clock is 2 minutes ahead does not blind decline-rate-spike to the authorizer on time', () => {
    const spikes = declineSpikes(skewedSim('decline-spike', 380_000, 120_000, (s) => s.startsWith('risk/')));
    expect(spikes).toHaveLength(1);
    expect(spikes[0].firedAt! - ONSET).toBeLessThanOrEqual(180_000);
    expect(spikes[0].resolvedAt).not.toBeNull();
  });

  it('an authorizer whose clock is 2 minutes behind the gateway still has its declines judged', () => {
    const spikes = declineSpikes(skewedSim('decline-spike', 380_000, -120_000, (s) => s === 'psp/authorizer'));
    expect(spikes).toHaveLength(1);
    // Its events are stamped 2 minutes before they happen: counted as they arrive, the spike is caught in time.
    expect(spikes[0].firedAt! - ONSET).toBeLessThanOrEqual(180_000);
  });

  it('with no skew the same scenario fires once, as before', () => {
    expect(declineSpikes(skewedSim('decline-spike', 380_000, 0, () => false))).toHaveLength(1);
  });
});

describe('events that arrive after their window was judged', () => {
  it('a batch of declines delivered 90 s late is counted when it arrives, not lost', () => {
    const r = rule({ metric: 'decline_rate', condition: { above: '20%' }, window: '1m', for: '0s', minVolume: 50 });
    const e = new AlertEvaluator([r], null);
    // Steady approvals on time; the declines of seconds 60-120 are held back and arrive at 210 s.
    e.observeEvents(payments(0, 210, 10, () => 0));
    e.observeEvents(payments(60, 120, 10, () => 100));
    e.observeEvents(payments(210, 240, 10, () => 0));
    e.advanceTo(sec(240));
    const fired = e.list().filter((a) => a.firedAt !== null);
    expect(fired).toHaveLength(1);
    expect(fired[0].firedAt!).toBeGreaterThanOrEqual(sec(210));
    expect(e.stats().lateEventsDropped).toBe(0);
  });

  it('an event from a wrong clock far in the past is still dropped and counted, not counted now', () => {
    const r = rule({ metric: 'throughput', condition: { above: 50 }, window: '1m', for: '0s' });
    const e = new AlertEvaluator([r], null);
    e.observeEvents(payments(0, 1200, 1, () => 0));
    // A thousand events stamped 15 minutes before the clock: a replayed old batch, not this minute's traffic.
    e.observeEvents(payments(300, 301, 1000, () => 0));
    e.observeEvents(payments(1200, 1260, 1, () => 0));
    e.advanceTo(sec(1260));
    expect(e.list().filter((a) => a.firedAt !== null)).toEqual([]);
    expect(e.stats().lateEventsDropped).toBe(1000);
  });
});
