// A gap in traffic while an alert fires (a broker outage, the night's lull) is no evidence the
// incident is over: the firing alert used to count the empty windows as "condition false",
// resolved within its keepFiringFor and paged again when traffic came back with the incident
// still on. It now keeps firing without evidence for a while (NO_EVIDENCE_HOLD_MS).
import { describe, expect, it } from 'vitest';
import { createTrafficGenerator } from '../sim';
import { backtest } from './backtest';
import { DEFAULT_RULES } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';
import { AlertEvaluator } from './alertEvaluator';
import { payments, rule, sec } from '../../../test/support/alertTestKit';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const ONSET = START + 20_000;
const END = START + 15 * 60_000;

/** An 8-minute decline spike from ONSET, at 200 events/s, without the events of [gapFrom, gapTo). */
function* spikeWithGap(gapFrom: number, gapTo: number): Generator<AlertInputEvent> {
  const gen = createTrafficGenerator({ seed: 7, scenario: 'decline-spike', startMs: START, rate: 200, timings: { anomalyStartMs: 20_000, anomalyDurationMs: 8 * 60_000 } });
  while (gen.nextTimeMs() < END) {
    const e = gen.next();
    const t = Date.parse(e.time);
    if (t >= gapFrom && t < gapTo) continue;
    const d = e.data as { merchantId?: string; country?: string; score?: number };
    yield { type: e.type, timeMs: t, merchantId: d.merchantId ?? null, country: d.country ?? null, score: d.score ?? null };
  }
}

const kinds = (r: ReturnType<typeof backtest>, name: string) => r.notifications.filter((n) => n.rule === name).map((n) => n.kind);

describe('a gap in traffic while an alert fires', () => {
  it('a 2-minute broker outage in the middle of a decline spike is one alert: no resolve in the gap, no second page after it', () => {
    const r = backtest(DEFAULT_RULES, spikeWithGap(ONSET + 150_000, ONSET + 270_000), { endMs: END });
    expect(kinds(r, 'decline-rate-spike')).toEqual(['firing', 'resolved']);
    expect(kinds(r, 'traffic-stopped')).toEqual(['firing', 'resolved']);
    const [spike] = r.alerts.filter((a) => a.rule === 'decline-rate-spike');
    // Resolved once the spike is over (8 minutes after its onset), judged on traffic, not on the gap.
    expect(spike.resolvedAt! - ONSET).toBeGreaterThanOrEqual(8 * 60_000);
  });

  it('an alert whose traffic never comes back resolves after the hold, saying there was too little to judge', () => {
    const r = rule({ metric: 'decline_rate', condition: { above: '10%' }, window: '1m', keepFiringFor: '30s', minVolume: 50, noDataState: 'normal' });
    const e = new AlertEvaluator([r], null);
    e.observeEvents(payments(0, 120, 10, () => 50));
    e.advanceTo(sec(120 + 5 * 60));
    expect(e.list()[0].state).toBe('firing');
    e.advanceTo(sec(120 + 12 * 60));
    const [alert] = e.list();
    expect(alert.state).toBe('resolved');
    expect(alert.resolvedAt! - sec(120)).toBeGreaterThanOrEqual(10 * 60_000);
    expect(alert.summary).toMatch(/no data|below minimum/);
  });

  it('an alert whose recovery was seen before the traffic thinned out resolves on that evidence, not on "below minimum"', () => {
    const r = rule({ metric: 'decline_rate', condition: { above: '10%' }, window: '1m', keepFiringFor: '30s', minVolume: 600, noDataState: 'normal' });
    const e = new AlertEvaluator([r], null);
    e.observeEvents(payments(0, 120, 10, () => 50));
    // A minute of healthy traffic (judged clear at 180 s), then too little to judge.
    e.observeEvents(payments(120, 180, 10, () => 0));
    e.observeEvents(payments(180, 400, 1, () => 0).filter((x) => (x.timeMs! - sec(0)) % 10_000 === 0));
    e.advanceTo(sec(400));
    const [alert] = e.list();
    expect(alert.state).toBe('resolved');
    expect(alert.resolvedAt!).toBeLessThanOrEqual(sec(240));
    expect(alert.summary).not.toMatch(/below minimum|no data/);
  });

  it('traffic that comes back healthy still resolves the alert after keepFiringFor', () => {
    const r = rule({ metric: 'decline_rate', condition: { above: '10%' }, window: '1m', keepFiringFor: '30s', minVolume: 50, noDataState: 'normal' });
    const e = new AlertEvaluator([r], null);
    e.observeEvents(payments(0, 120, 10, () => 50));
    e.observeEvents(payments(240, 400, 10, () => 0));
    e.advanceTo(sec(400));
    const [alert] = e.list();
    expect(alert.state).toBe('resolved');
    expect(alert.resolvedAt!).toBeGreaterThan(sec(240));
    expect(alert.resolvedAt!).toBeLessThanOrEqual(sec(240 + 60 + 30 + 10));
  });
});
