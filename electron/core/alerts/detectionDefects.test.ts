// Issue 11's detection defects, each on traffic a new user would see: the simulator's own
// scenarios at their defaults, and the shipped demo capture. Every test failed on the
// pack and evaluator before the rework (absolute counts, a blind warm-up, a baseline that
// learned the spike, no_data blind to sparse streams).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrafficGenerator, type ScenarioName } from '../sim';
import { backtest } from './backtest';
import { backtestCapture } from './backtestSources';
import { DEFAULT_RULES } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';
import { AlertEvaluator } from './alertEvaluator';
import { payments, rule, sec } from '../../../test/support/alertTestKit';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const DEMO_CAPTURE = path.join(__dirname, '..', 'demo', 'paysim-demo.ndjson.gz');

/** The simulator at `rate` events/s from `startMs` for `durationMs`, its scenario at its default timings. */
function* sim(scenario: ScenarioName, rate: number, startMs: number, durationMs: number, seed = 42): Generator<AlertInputEvent> {
  const gen = createTrafficGenerator({ seed, scenario, startMs, rate });
  while (gen.nextTimeMs() < startMs + durationMs) {
    const e = gen.next();
    const d = e.data as { merchantId?: string; country?: string; score?: number };
    yield { type: e.type, timeMs: Date.parse(e.time), merchantId: d.merchantId ?? null, country: d.country ?? null, score: d.score ?? null };
  }
}

const fired = (alerts: ReturnType<typeof backtest>['alerts'], rule: string) => alerts.filter((a) => a.rule === rule && a.firedAt !== null);

describe('detection on the simulator and the demo capture (issue 11)', () => {
  it('decline-spike at the scenario defaults (20 s of traffic, then 2 minutes of spike) fires within 3 minutes of the onset, and resolves', () => {
    const onset = START + 20_000;
    const r = backtest(DEFAULT_RULES, sim('decline-spike', 200, START, 20_000 + 120_000 + 240_000), { endMs: START + 380_000 });
    const spikes = fired(r.alerts, 'decline-rate-spike');
    expect(spikes).toHaveLength(1);
    expect(spikes[0].firedAt! - onset).toBeGreaterThanOrEqual(0);
    expect(spikes[0].firedAt! - onset).toBeLessThanOrEqual(180_000);
    expect(spikes[0].resolvedAt).not.toBeNull();
    expect(spikes[0].summary).toMatch(/decline rate \d+(\.\d)? %/);
  });

  it('a second decline spike soon after the first is caught too: the baseline did not learn the first one as normal', () => {
    const first = 20_000 + 120_000 + 180_000; // lead-in, spike, three quiet minutes
    const events = function* () {
      yield* sim('decline-spike', 200, START, first, 1);
      yield* sim('decline-spike', 200, START + first, 20_000 + 120_000 + 180_000, 2);
    };
    const r = backtest(DEFAULT_RULES, events(), { endMs: START + 2 * first });
    const spikes = fired(r.alerts, 'decline-rate-spike');
    expect(spikes).toHaveLength(2);
    const secondOnset = START + first + 20_000;
    expect(spikes[1].firedAt! - secondOnset).toBeGreaterThanOrEqual(0);
    expect(spikes[1].firedAt! - secondOnset).toBeLessThanOrEqual(180_000);
  });

  it('fraud-burst-per-merchant stays quiet on 15 minutes of normal traffic at 200 events/s from a fresh start, and catches the fraud-burst scenario', () => {
    const quiet = backtest(DEFAULT_RULES, sim('normal', 200, START, 15 * 60_000), { endMs: START + 15 * 60_000 });
    expect(fired(quiet.alerts, 'fraud-burst-per-merchant')).toEqual([]);
    expect(quiet.alerts.filter((a) => a.severity === 'critical')).toEqual([]);

    const target = createTrafficGenerator({ seed: 42, scenario: 'fraud-burst', startMs: START, rate: 200 }).fraudTargetMerchantId;
    const burst = backtest(DEFAULT_RULES, sim('fraud-burst', 200, START, 20_000 + 120_000 + 120_000), { endMs: START + 260_000 });
    const hits = fired(burst.alerts, 'fraud-burst-per-merchant');
    expect(hits.map((a) => a.labels.merchant)).toEqual([target]);
    expect(hits[0].firedAt! - (START + 20_000)).toBeLessThanOrEqual(180_000);
  });

  it('replaying the shipped demo capture (a few events an hour, 5 % fraud) raises no traffic-stopped alert and shows its fraud', async () => {
    const r = await backtestCapture(DEMO_CAPTURE, DEFAULT_RULES);
    expect(r.events).toBeGreaterThan(39_000);
    expect(fired(r.alerts, 'traffic-stopped')).toEqual([]);
    const fraud = fired(r.alerts, 'fraud-share-high');
    expect(fraud.length).toBeGreaterThan(0);
    expect(fraud.length).toBeLessThan(100);
    expect(fraud[0].summary).toMatch(/risk blocked rate \d+(\.\d)? %/);
  }, 120_000);

  it('traffic-stopped fires once for one silence of a dense stream, and resolves when traffic is back', () => {
    const r = backtest(DEFAULT_RULES, sim('stall', 200, START, 20_000 + 120_000 + 120_000), { endMs: START + 260_000 });
    const stops = fired(r.alerts, 'traffic-stopped');
    expect(stops).toHaveLength(1);
    expect(stops[0].firedAt! - (START + 20_000)).toBeLessThanOrEqual(90_000);
    expect(stops[0].resolvedAt).not.toBeNull();
    expect(r.notifications.filter((n) => n.rule === 'traffic-stopped').map((n) => n.kind)).toEqual(['firing', 'resolved']);
  });

  it('a firing alert never says its volume was below the minimum: while too little traffic to judge, it keeps the evidence it fired on', () => {
    const r = rule({ metric: 'decline_rate', condition: { above: '10%' }, window: '1m', keepFiringFor: '5m', minVolume: 50 });
    const e = new AlertEvaluator([r], null);
    // Two minutes of 30 % declines at 20 attempts/s, then a trickle (one attempt every 5 s).
    e.observeEvents(payments(0, 120, 20, () => 30));
    e.observeEvents(payments(120, 300, 1, () => 0).filter((x) => (x.timeMs! - sec(0)) % 5000 === 0));
    e.advanceTo(sec(300));
    const [alert] = e.list();
    expect(alert.state).toBe('firing');
    expect(alert.summary).not.toMatch(/below minimum/);
    // The last window judged with enough volume: the spike tailing off into the trickle.
    expect(alert.summary).toMatch(/^decline rate \d+ % per attempt, threshold above 10 %/);
    expect(alert.value!).toBeGreaterThan(0.1);
  });
});
