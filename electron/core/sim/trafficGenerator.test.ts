import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import type { CloudEventObject } from './cloudEvent';
import { createRng } from './prng';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios';
import { createTrafficGenerator } from './trafficGenerator';

const START = Date.UTC(2026, 10, 23, 8, 0, 0);

function take(scenario: ScenarioName, count: number, seed = 42, rate = 100): CloudEventObject[] {
  const gen = createTrafficGenerator({ seed, scenario, startMs: START, rate });
  return Array.from({ length: count }, () => gen.next());
}

function declineRate(events: CloudEventObject[]): number {
  let declined = 0;
  let decided = 0;
  for (const e of events) {
    if (e.type === 'payment.declined') declined++;
    if (e.type === 'payment.declined' || e.type === 'payment.authorized' || e.type === 'payment.failed') decided++;
  }
  return declined / decided;
}

function inWindow(events: CloudEventObject[], fromMs: number, toMs: number): CloudEventObject[] {
  return events.filter((e) => {
    const t = Date.parse(e.time) - START;
    return t >= fromMs && t < toMs;
  });
}

describe('createRng', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = createRng(1);
    const b = createRng(1);
    const c = createRng(2);
    const seqA = Array.from({ length: 50 }, () => a.float());
    expect(Array.from({ length: 50 }, () => b.float())).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c.float())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws version-4-shaped UUIDs', () => {
    const rng = createRng(9);
    for (let i = 0; i < 100; i++) {
      expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('createTrafficGenerator', () => {
  it('gives the same sequence byte for byte for the same seed', () => {
    for (const scenario of SCENARIO_NAMES) {
      const a = JSON.stringify(take(scenario, 3000, 7));
      const b = JSON.stringify(take(scenario, 3000, 7));
      expect(b).toBe(a);
    }
  });

  it('gives a different sequence for a different seed', () => {
    expect(JSON.stringify(take('normal', 200, 1))).not.toBe(JSON.stringify(take('normal', 200, 2)));
  });

  it('produces events that all decode ok, with unique ids', () => {
    for (const scenario of SCENARIO_NAMES) {
      const events = take(scenario, process.env.PAYOPS_LONG ? 15_000 : 5_000, 3, 200);
      const ids = new Set<string>();
      for (const e of events) {
        const result = decodeMessage({ body: Buffer.from(JSON.stringify(e)), arrivalMs: 0, routingKey: e.type });
        if (!result.ok) throw new Error(`${scenario}: ${e.type} did not decode: ${result.reason}`);
        expect(result.event.category).not.toBe('unknown');
        ids.add(`${e.source}/${e.id}`);
      }
      expect(ids.size).toBe(events.length);
    }
  }, 240_000); // eight scenarios of 5,000 events (15,000 under PAYOPS_LONG), on a loaded machine

  it('advances the event clock by 1/rate s per event', () => {
    const events = take('normal', 101, 5, 50);
    expect(Date.parse(events[0].time)).toBe(START);
    expect(Date.parse(events[100].time)).toBe(START + 2000);
  });

  it('tells each payment story in order: initiated, scored, then an outcome', () => {
    const events = take('normal', 20_000, 11);
    const seen = new Map<string, string[]>();
    for (const e of events) {
      const list = seen.get(e.subject) ?? [];
      list.push(e.type);
      seen.set(e.subject, list);
    }
    for (const types of seen.values()) {
      expect(types[0]).toBe('payment.initiated');
      if (types.length > 1) expect(types[1]).toBe('risk.scored');
      const captured = types.indexOf('payment.captured');
      if (captured !== -1) expect(types.indexOf('payment.authorized')).toBeLessThan(captured);
      const refunded = types.indexOf('payment.refunded');
      if (refunded !== -1) expect(captured).toBeLessThan(refunded);
    }
  });

  it('keeps normal traffic near its baseline: ~4-6 % declines, ~1 % failed, ~1 % blocked', () => {
    const events = take('normal', 60_000, 21);
    const initiated = events.filter((e) => e.type === 'payment.initiated').length;
    const failed = events.filter((e) => e.type === 'payment.failed').length;
    const blocked = events.filter((e) => e.type === 'risk.blocked').length;
    expect(declineRate(events)).toBeGreaterThan(0.035);
    expect(declineRate(events)).toBeLessThan(0.07);
    expect(failed / initiated).toBeGreaterThan(0.005);
    expect(failed / initiated).toBeLessThan(0.02);
    expect(blocked / initiated).toBeGreaterThan(0.005);
    expect(blocked / initiated).toBeLessThan(0.02);
    const codes = new Set(events.filter((e) => e.type === 'payment.declined').map((e) => e.data.declineCode));
    for (const code of ['05', '51', '54', '61']) expect(codes).toContain(code);
  });

  it('decline-spike raises declines to ~25-35 % during the anomaly window, not before', () => {
    const events = take('decline-spike', 20_000, 8);
    const warmup = inWindow(events, 0, 20_000);
    const spike = inWindow(events, 25_000, 140_000);
    expect(declineRate(warmup)).toBeLessThan(0.08);
    expect(declineRate(spike)).toBeGreaterThan(0.22);
    expect(declineRate(spike)).toBeLessThan(0.4);
    const normal = inWindow(take('normal', 20_000, 8), 25_000, 140_000);
    expect(declineRate(spike)).toBeGreaterThan(3 * declineRate(normal));
    // The spike is an issuer outage: 91 dominates its decline codes.
    const codes = spike.filter((e) => e.type === 'payment.declined').map((e) => e.data.declineCode);
    expect(codes.filter((c) => c === '91').length).toBeGreaterThan(codes.length / 3);
  });

  it('fraud-burst concentrates risk.blocked on one merchant', () => {
    const gen = createTrafficGenerator({ seed: 13, scenario: 'fraud-burst', startMs: START, rate: 100 });
    const events = Array.from({ length: 16_000 }, () => gen.next());
    const burst = inWindow(events, 20_000, 140_000).filter((e) => e.type === 'risk.blocked');
    const byMerchant = new Map<string, number>();
    for (const e of burst) byMerchant.set(e.data.merchantId as string, (byMerchant.get(e.data.merchantId as string) ?? 0) + 1);
    const onTarget = byMerchant.get(gen.fraudTargetMerchantId) ?? 0;
    expect(onTarget).toBeGreaterThan(0.8 * burst.length);
    expect(burst.length).toBeGreaterThan(300);
    for (const e of burst) if (e.data.merchantId === gen.fraudTargetMerchantId) expect(e.data.score).toBeGreaterThanOrEqual(80);
    // Before the burst the target is an ordinary merchant.
    const before = inWindow(events, 0, 20_000).filter((e) => e.type === 'risk.blocked' && e.data.merchantId === gen.fraudTargetMerchantId);
    expect(before.length).toBeLessThan(5);
  });

  it('stall sends nothing inside the stall window and resumes after it', () => {
    const timings = { anomalyStartMs: 10_000, anomalyDurationMs: 30_000 };
    const gen = createTrafficGenerator({ seed: 4, scenario: 'stall', startMs: START, rate: 100, timings });
    expect(gen.isStalled(START + 5_000)).toBe(false);
    expect(gen.isStalled(START + 10_000)).toBe(true);
    expect(gen.isStalled(START + 39_999)).toBe(true);
    expect(gen.isStalled(START + 40_000)).toBe(false);
    const times = Array.from({ length: 3000 }, () => Date.parse(gen.next().time) - START);
    expect(times.some((t) => t >= 10_000 && t < 40_000)).toBe(false);
    expect(times.filter((t) => t < 10_000)).toHaveLength(1000);
    expect(times[1000]).toBe(40_000);
    expect(times.at(-1)).toBeGreaterThan(40_000);
    // Other scenarios never stall.
    const normal = createTrafficGenerator({ seed: 4, scenario: 'normal', startMs: START, rate: 100, timings });
    expect(normal.isStalled(START + 20_000)).toBe(false);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => createTrafficGenerator({ seed: 1, scenario: 'normal', startMs: START, rate: 0 })).toThrow(RangeError);
  });
});

describe('dimensions and the triage scenarios', () => {
  const payments = (events: CloudEventObject[]) => events.filter((e) => e.type.startsWith('payment.'));
  const inAnomaly = (events: CloudEventObject[]) =>
    events.filter((e) => Date.parse(e.time) - START >= 20_000 && Date.parse(e.time) - START < 140_000);

  it('emits every dimension, correlated: an issuer keeps its BINs and one scheme, a merchant one acquirer', () => {
    const attemptTypes = ['payment.initiated', 'payment.authorized', 'payment.declined', 'payment.failed'];
    const events = payments(take('normal', 20_000, 4, 200)).filter((e) => attemptTypes.includes(e.type));
    const schemeOf = new Map<string, Set<unknown>>();
    const acquirerOf = new Map<string, Set<unknown>>();
    const binsOf = new Map<string, string>();
    for (const e of events) {
      const d = e.data;
      // Merchants retry some soft declines (retries.test.ts): the decided attempts may be 2 or 3.
      if (e.type === 'payment.authorized' || e.type === 'payment.declined') expect([1, 2, 3]).toContain(d.attempt);
      else expect(d.attempt).toBe(1);
      expect(d.mcc).toMatch(/^\d{4}$/);
      if (d.method !== 'bank_transfer') {
        expect(['frictionless', 'challenged', 'failed', 'not_attempted']).toContain(d.threeDS);
        const issuer = d.issuer as string;
        (schemeOf.get(issuer) ?? schemeOf.set(issuer, new Set()).get(issuer)!).add(d.scheme);
        const owner = binsOf.get(d.cardBin as string);
        if (owner) expect(owner).toBe(issuer);
        binsOf.set(d.cardBin as string, issuer);
      }
      const m = d.merchantId as string;
      if (d.acquirer) (acquirerOf.get(m) ?? acquirerOf.set(m, new Set()).get(m)!).add(d.acquirer);
    }
    expect(schemeOf.size).toBeGreaterThanOrEqual(7);
    for (const schemes of schemeOf.values()) expect(schemes.size).toBe(1);
    for (const acquirers of acquirerOf.values()) expect(acquirers.size).toBe(1);
  });

  const declineShare = (events: CloudEventObject[], where: (e: CloudEventObject) => boolean) => {
    const outcomes = events.filter((e) => ['payment.authorized', 'payment.declined', 'payment.failed'].includes(e.type) && where(e));
    return outcomes.filter((e) => e.type === 'payment.declined').length / Math.max(1, outcomes.length);
  };

  it('issuer-outage: tamarind-card declines with 91 during the anomaly, other issuers do not move', () => {
    const events = inAnomaly(take('issuer-outage', 30_000, 5, 200));
    expect(declineShare(events, (e) => e.data.issuer === 'tamarind-card')).toBeGreaterThan(0.8);
    expect(declineShare(events, (e) => e.data.issuer !== 'tamarind-card')).toBeLessThan(0.1);
    const codes = events.filter((e) => e.type === 'payment.declined' && e.data.issuer === 'tamarind-card').map((e) => e.data.declineCode);
    expect(codes.filter((c) => c === '91').length / codes.length).toBeGreaterThan(0.85);
  });

  it('acquirer-degradation: acq-meridian times out, the others do not', () => {
    const events = inAnomaly(take('acquirer-degradation', 30_000, 5, 200));
    const failShare = (where: (e: CloudEventObject) => boolean) => {
      const o = events.filter((e) => ['payment.authorized', 'payment.declined', 'payment.failed'].includes(e.type) && where(e));
      return o.filter((e) => e.type === 'payment.failed').length / o.length;
    };
    expect(failShare((e) => e.data.acquirer === 'acq-meridian')).toBeGreaterThan(0.35);
    expect(failShare((e) => e.data.acquirer !== 'acq-meridian')).toBeLessThan(0.05);
  });

  it('mix-shift: the high-decline merchant grows its share; its own decline rate stays', () => {
    const all = take('mix-shift', 40_000, 6, 200);
    const before = all.filter((e) => Date.parse(e.time) - START < 20_000);
    const during = inAnomaly(all);
    const share = (events: CloudEventObject[]) =>
      events.filter((e) => e.type === 'payment.initiated' && e.data.merchantId === 'm_1038').length /
      events.filter((e) => e.type === 'payment.initiated').length;
    expect(share(during)).toBeGreaterThan(share(before) * 5);
    expect(declineShare(during, (e) => e.data.merchantId === 'm_1038')).toBeGreaterThan(0.25);
    expect(declineShare(during, (e) => e.data.merchantId !== 'm_1038')).toBeLessThan(0.1);
  });

  it('card-testing: many small attempts on many cards at one merchant, declined 05/14/54', () => {
    const gen = createTrafficGenerator({ seed: 8, scenario: 'card-testing', startMs: START, rate: 200 });
    const events: CloudEventObject[] = [];
    for (let i = 0; i < 30_000; i++) events.push(gen.next());
    const target = inAnomaly(events).filter((e) => e.data.merchantId === gen.fraudTargetMerchantId && e.type === 'payment.declined');
    expect(target.length).toBeGreaterThan(500);
    const codes = new Set(target.map((e) => e.data.declineCode));
    for (const c of ['05', '14', '54']) expect(codes.has(c)).toBe(true);
    expect(new Set(target.map((e) => e.data.cardBin)).size).toBeGreaterThan(5);
  });
});
