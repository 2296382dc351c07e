// The default segment rules (issuer-down, acquirer-down) over simulator traffic: they fire for
// the planted segment only, with its label, and calm traffic fires neither.
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import { backtest } from '../alerts/backtest';
import { DEFAULT_RULES } from '../alerts/defaultRules';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import type { ScenarioName } from '../sim/scenarios';

const START = Date.UTC(2026, 10, 23, 8, 0, 0);
const SEGMENT_RULES = DEFAULT_RULES.filter((r) => r.name === 'issuer-down' || r.name === 'acquirer-down');

function decoded(scenario: ScenarioName, seed: number): NormalizedEvent[] {
  const gen = createTrafficGenerator({ seed, scenario, startMs: START, rate: 40, timings: { anomalyStartMs: 300_000, anomalyDurationMs: 240_000 } });
  const out: NormalizedEvent[] = [];
  while (gen.nextTimeMs() < START + 720_000) {
    const r = decodeMessage({ body: Buffer.from(JSON.stringify(gen.next())), arrivalMs: 0 });
    if (r.ok) out.push({ ...r.event, arrivalMs: r.event.timeMs } as NormalizedEvent);
  }
  return out;
}

const fired = (scenario: ScenarioName, seed = 3) =>
  backtest(SEGMENT_RULES, decoded(scenario, seed)).alerts.filter((a) => a.firedAt !== null).map((a) => ({ rule: a.rule, labels: a.labels }));

describe('segment alert rules', () => {
  it('issuer-down fires for the issuer that is down, and only for it', () => {
    expect(fired('issuer-outage')).toEqual([{ rule: 'issuer-down', labels: { issuer: 'tamarind-card' } }]);
  });
  it('acquirer-down fires for the acquirer that times out, and only for it', () => {
    expect(fired('acquirer-degradation')).toEqual([{ rule: 'acquirer-down', labels: { acquirer: 'acq-meridian' } }]);
  });
  it('calm traffic fires neither', () => {
    expect(fired('normal', 4)).toEqual([]);
  });
});
