import { describe, expect, it } from 'vitest';
import { validateRouting, type BurnRateRule } from '../../../shared/notificationConfig';
import type { AlertInputEvent } from './eventCounters';
import { BurnRateEvaluator } from './burnRateEvaluator';
import { T0 } from '../../../test/support/alertTestKit';

const MIN = 60_000;

function slo(extra: Record<string, unknown> = {}): BurnRateRule {
  const v = validateRouting({ burnRates: [{ name: 'approval-slo', objective: '99.9%', ...extra }] });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config.burnRates[0];
}

/** 10 attempts a second from `fromMin` to `toMin`; one in `every` is declined (0: none). */
function attempts(fromMin: number, toMin: number, every: (minute: number) => number, merchant = 'm_1'): AlertInputEvent[] {
  const out: AlertInputEvent[] = [];
  let i = 0;
  for (let ms = fromMin * MIN; ms < toMin * MIN; ms += 100) {
    const n = every(Math.floor(ms / MIN));
    const declined = n > 0 && i++ % n === 0;
    out.push({ type: declined ? 'payment.declined' : 'payment.authorized', timeMs: T0 + ms, merchantId: merchant, country: 'DE' });
  }
  return out;
}

const show = (notes: { kind: string; severity: string; at: number }[]) => notes.map((n) => `${n.kind} ${n.severity} @${(n.at - T0) / MIN}m`);

describe('burn-rate rules (controlled event-time clock, SRE workbook pairs)', () => {
  it('a fast burn pages within the short window, with the remaining error budget in the summary', () => {
    const e = new BurnRateEvaluator([slo()]);
    // 2 hours of 0.05 % declines (0.5x), then 20 % declines (200x) from minute 120.
    e.observeEvents(attempts(0, 140, (m) => (m < 120 ? 2000 : 5)));
    const notes = e.advanceTo(T0 + 140 * MIN + 5000);
    const pages = notes.filter((n) => n.severity === 'critical');
    expect(show(pages)).toEqual(['firing critical @125m']);
    expect(pages[0].at - (T0 + 120 * MIN)).toBeLessThanOrEqual(5 * MIN);
    expect(pages[0].summary).toMatch(/burn 1[5-9]\.\dx over 1h and 200\.0x over 5m \(alerting at 14.4x of a 99.9 % objective\), error budget remaining -?\d+\.\d %/);
    expect(pages[0].labels).toEqual({ slo: 'approval-slo', burn_window: '1h/5m' });
  });

  it('a slow burn only tickets, and resolves soon after it stops (the short window)', () => {
    const e = new BurnRateEvaluator([slo()]);
    // 0.8 % declines = 8x: above the 6x ticket pair, below the 14.4x page pair; stops at 400m.
    // (The windows hold what was seen: from the first minute both burn at 8x.) Once it stops,
    // the 30-minute window falls under 6x after 7.5 minutes: resolved at 408m, not 6 h later.
    e.observeEvents(attempts(0, 420, (m) => (m < 400 ? 125 : 0)));
    const notes = e.advanceTo(T0 + 420 * MIN + 5000);
    expect(show(notes)).toEqual(['firing warning @1m', 'resolved warning @408m']);
  });

  it('a burn below both pairs does nothing', () => {
    const e = new BurnRateEvaluator([slo()]);
    e.observeEvents(attempts(0, 420, () => 250)); // 0.4 % = 4x
    expect(e.advanceTo(T0 + 420 * MIN + 5000)).toEqual([]);
    const [page, ticket] = e.read('approval-slo');
    expect(page.longBurn).toBeCloseTo(4, 1);
    expect(ticket.shortBurn).toBeCloseTo(4, 1);
  });

  it('per segment with a volume floor: only the burning merchant with enough volume alerts', () => {
    const e = new BurnRateEvaluator([slo({ groupBy: 'merchant', minVolume: 1000 })]);
    const busy = attempts(0, 30, (m) => (m < 10 ? 0 : 5), 'm_busy');
    // m_quiet: 1 attempt every 6 s, all declined: 50 in 5 minutes, below the floor
    const quiet = Array.from({ length: 300 }, (_, i) => ({ type: 'payment.declined', timeMs: T0 + i * 6000, merchantId: 'm_quiet' }));
    e.observeEvents([...busy, ...quiet].sort((a, b) => a.timeMs! - b.timeMs!));
    const notes = e.advanceTo(T0 + 30 * MIN + 5000);
    expect(notes.map((n) => `${n.kind} ${n.severity} ${n.labels.merchant}`)).toEqual(['firing critical m_busy', 'firing warning m_busy']);
  });

  // Issue 14: "optionally per segment such as issuer or acquirer". groupBy took merchant or
  // country only: a rules file with groupBy: issuer was refused.
  it.each(['issuer', 'acquirer'] as const)('per %s: only the burning segment alerts, labelled with it; events without it are in no segment', (dimension) => {
    const e = new BurnRateEvaluator([slo({ groupBy: dimension, minVolume: 100 })]);
    const of = (value: string | null) => (ev: AlertInputEvent): AlertInputEvent => ({
      ...ev,
      dimensions: { issuer: null, scheme: null, acquirer: null, mcc: null, threeDS: null, attempt: 1, [dimension]: value },
    });
    const burning = attempts(0, 30, (m) => (m < 10 ? 0 : 5)).map(of('seg-down'));
    const healthy = attempts(0, 30, () => 0).map(of('seg-ok'));
    // A bank transfer carries no issuer or acquirer: all declined, and no segment of its own.
    const without = attempts(0, 30, () => 1).map(of(null));
    e.observeEvents([...burning, ...healthy, ...without].sort((a, b) => a.timeMs! - b.timeMs!));
    const notes = e.advanceTo(T0 + 30 * MIN + 5000);
    expect(notes.map((n) => `${n.kind} ${n.severity} ${n.labels[dimension]}`)).toEqual(['firing critical seg-down', 'firing warning seg-down']);
    expect(notes[0].summary).toContain(`for ${dimension} seg-down`);
  });

  it('gives the same alerts however the stream is cut into batches', () => {
    const events = attempts(0, 140, (m) => (m < 120 ? 2000 : 5));
    const whole = new BurnRateEvaluator([slo()]);
    whole.observeEvents(events);
    const a = whole.advanceTo(T0 + 141 * MIN);
    const chunked = new BurnRateEvaluator([slo()]);
    const b = [];
    for (let i = 0; i < events.length; i += 777) {
      chunked.observeEvents(events.slice(i, i + 777));
      b.push(...chunked.take());
    }
    b.push(...chunked.advanceTo(T0 + 141 * MIN));
    expect(b).toEqual(a);
  });

  it('an event stamped a year past the wall clock is ignored: no year of minute ticks, and the burn still pages', () => {
    const e = new BurnRateEvaluator([slo({ groupBy: 'merchant' })], 1000, () => T0 + 140 * MIN);
    const merchants = Array.from({ length: 100 }, (_, i) => attempts(0, 1, () => 0, `m_${i}`)).flat();
    e.observeEvents(merchants);
    const started = performance.now();
    e.observeEvents([{ type: 'payment.authorized', timeMs: T0 + 365 * 24 * 60 * MIN, merchantId: 'm_0', country: 'DE' }]);
    // Followed, it ran 525,600 minute ticks over 100 merchants: minutes of a frozen engine thread.
    expect(performance.now() - started).toBeLessThan(1000);
    e.observeEvents(attempts(1, 140, (m) => (m < 120 ? 2000 : 5)));
    const notes = [...e.advanceTo(T0 + 365 * 24 * 60 * MIN), ...e.advanceTo(T0 + 140 * MIN + 5000)];
    expect(show(notes.filter((n) => n.labels.merchant === 'm_1' && n.severity === 'critical'))).toEqual(['firing critical @125m']);
    expect(e.futureEventsIgnored).toBe(1);
  });
});

describe('burn-rate rules replaced by a rules save', () => {
  const rule = (name: string, factor = 10) => slo({ name, objective: '97%', minVolume: 0, windows: [{ severity: 'critical', factor, long: '5m', short: '1m' }] });
  const names = (notes: { kind: string; rule: string; at: number }[]) => notes.map((n) => `${n.kind} ${n.rule} @${(n.at - T0) / MIN}m`);

  it('keeps an unchanged rule as it was, judges an added one over what it is fed, and both go on ticking together', () => {
    const e = new BurnRateEvaluator([rule('kept')]);
    const bad = attempts(0, 10, () => 2); // 50 % declined: a 16.7x burn of a 97 % objective
    e.observeEvents(bad);
    expect(names(e.advanceTo(T0 + 10 * MIN))).toEqual(['firing kept @1m']);
    const fed: number[] = [];
    const notes = e.replaceRules([rule('kept'), rule('added')], (fresh) => {
      fed.push(fresh.longestWindowMs);
      fresh.observeEvents(bad);
    }, T0 + 10 * MIN + 1000);
    expect(fed).toEqual([5 * MIN]);
    expect(names(notes)).toEqual(['firing added @1m']); // when it began, in the stored events
    // The burn stops: both resolve at the same minute tick (one clock).
    e.observeEvents(attempts(10, 20, () => 0));
    expect(names(e.advanceTo(T0 + 20 * MIN))).toEqual(['resolved kept @11m', 'resolved added @11m']);
  });

  it('a removed rule is announced resolved; a changed one that still holds carries on without a word', () => {
    const e = new BurnRateEvaluator([rule('removed'), rule('changed')]);
    const bad = attempts(0, 10, () => 2);
    e.observeEvents(bad);
    expect(names(e.advanceTo(T0 + 10 * MIN))).toEqual(['firing removed @1m', 'firing changed @1m']);
    const notes = e.replaceRules([rule('changed', 12)], (fresh) => fresh.observeEvents(bad), T0 + 10 * MIN);
    expect(names(notes)).toEqual(['resolved removed @10m']);
    expect(notes[0]).toMatchObject({ key: 'removed/5m/1m/*', summary: 'RESOLVED removed: alert rules changed' });
    // Changed again so it no longer holds: resolved under the same key it fired with.
    const again = e.replaceRules([rule('changed', 20)], (fresh) => fresh.observeEvents(bad), T0 + 10 * MIN);
    expect(again.map((n) => `${n.kind} ${n.key}`)).toEqual(['resolved changed/5m/1m/*']);
  });
});

describe('burn-rate alerts carried on across a restart (carryOn: the stored events read back)', () => {
  const burn = (m: number) => (m < 120 ? 2000 : 5);
  const firedBefore = () => {
    const before = new BurnRateEvaluator([slo()]);
    before.observeEvents(attempts(0, 140, burn));
    const fired = before.advanceTo(T0 + 140 * MIN + 5000).filter((n) => n.kind === 'firing');
    const pages = fired.filter((n) => n.severity === 'critical');
    expect(pages).toHaveLength(1);
    // The page and any ticket the burn raised: all were open when the engine stopped.
    return { key: pages[0].key!, open: new Set(fired.map((n) => n.key!)) };
  };

  it('a burn that goes on stays one alert: nothing said at the start, no second page as it continues, one resolve when it stops', () => {
    const { key, open } = firedBefore();
    const e = new BurnRateEvaluator([slo()]);
    expect([...e.carryOn(open, (self) => self.observeEvents(attempts(0, 140, burn)), T0 + 140 * MIN + 5000)]).toEqual([...open]);
    expect(e.take()).toEqual([]);
    e.observeEvents(attempts(140, 160, burn));
    expect(show(e.advanceTo(T0 + 160 * MIN + 5000).filter((n) => n.severity === 'critical'))).toEqual([]);
    e.observeEvents(attempts(160, 200, () => 0));
    const after = e.advanceTo(T0 + 200 * MIN + 5000).filter((n) => n.severity === 'critical');
    expect(after.map((n) => `${n.kind} ${n.key}`)).toEqual([`resolved ${key}`]);
  });

  it('a burn that ended while the engine was down is announced resolved once; a key no rule has is not carried', () => {
    const { key, open } = firedBefore();
    const e = new BurnRateEvaluator([slo()]);
    const carried = e.carryOn(new Set([...open, 'removed-slo/1h/5m/*']), (self) => self.observeEvents([...attempts(0, 140, burn), ...attempts(140, 160, () => 0)]), T0 + 160 * MIN + 5000);
    expect([...carried]).toEqual([...open]);
    const notes = e.take().filter((n) => n.severity === 'critical');
    expect(notes.map((n) => `${n.kind} ${n.key}`)).toEqual([`resolved ${key}`]);
    e.observeEvents(attempts(160, 170, () => 0));
    expect(e.advanceTo(T0 + 170 * MIN + 5000).filter((n) => n.severity === 'critical')).toEqual([]);
  });
});
