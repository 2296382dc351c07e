import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { AlertEvaluator } from './alertEvaluator';
import { ev, payments, rule, sec, traffic } from '../../../test/support/alertTestKit';

const states = (e: AlertEvaluator, ruleName?: string) =>
  e
    .list()
    .filter((a) => !ruleName || a.rule === ruleName)
    .map((a) => ({ state: a.state, transitions: a.transitions.map((t) => `${t.state}@${(t.at - sec(0)) / 1000}`) }));

const declineRule = (extra = {}) =>
  rule({ name: 'declines', metric: 'decline_rate', condition: { above: '50%' }, window: '30s', for: '20s', keepFiringFor: '20s', ...extra });

describe('AlertEvaluator state machine (event-time ticks every 10 s)', () => {
  it('goes normal -> pending -> firing -> resolved, honouring for and keepFiringFor, and notifies on fire and resolve', () => {
    const e = new AlertEvaluator([declineRule()], null, { allowedLatenessMs: 0 });
    e.observeEvents(payments(0, 200, 10, (s) => (s >= 60 && s < 120 ? 100 : 0)));
    const notes = e.advanceTo(sec(200));
    // 30 s window: two thirds declined at t=80 (pending), fires after 20 s at t=100,
    // clears at t=140 and is kept firing 20 s more, resolving at t=160.
    expect(states(e)).toEqual([{ state: 'resolved', transitions: ['pending@80', 'firing@100', 'resolved@160'] }]);
    expect(notes.map((n) => [n.kind, (n.at - sec(0)) / 1000])).toEqual([
      ['firing', 100],
      ['resolved', 160],
    ]);
    expect(notes[0]).toMatchObject({ rule: 'declines', severity: 'warning', labels: {}, group: null });
    expect(notes[0].summary).toContain('decline rate 100 %');
    expect(notes[0].summary).toContain('threshold above 50 %');
    const view = e.list()[0];
    expect(view.peakValue).toBe(1);
    expect(view.firedAt).toBe(sec(100));
    expect(view.resolvedAt).toBe(sec(160));
  });

  it('a spike shorter than the pending period goes back to normal without firing or notifying', () => {
    const e = new AlertEvaluator([declineRule()], null, { allowedLatenessMs: 0 });
    e.observeEvents(payments(0, 200, 10, (s) => (s >= 60 && s < 80 ? 100 : 0)));
    expect(e.advanceTo(sec(200))).toEqual([]);
    expect(e.list()).toEqual([]); // episodes that never fired are history only
  });

  it('fires at once when for is 0 and resolves at once when keepFiringFor is 0', () => {
    const e = new AlertEvaluator([declineRule({ for: 0, keepFiringFor: 0 })], null, { allowedLatenessMs: 0 });
    e.observeEvents(payments(0, 200, 10, (s) => (s >= 60 && s < 120 ? 100 : 0)));
    e.advanceTo(sec(200));
    expect(states(e)[0].transitions).toEqual(['firing@80', 'resolved@140']);
  });

  it('shows nodata for a whole-stream rule with nothing to compute from, and normal once data returns', () => {
    const e = new AlertEvaluator([declineRule()], null, { allowedLatenessMs: 0 });
    e.observeEvents(payments(0, 60, 10, () => 0));
    e.advanceTo(sec(120));
    expect(states(e)).toEqual([{ state: 'nodata', transitions: ['nodata@90'] }]);
    expect(e.list()[0].summary).toBe('decline rate: no data in the last 30s');
    e.observeEvents(payments(200, 260, 10, () => 0));
    e.advanceTo(sec(260));
    expect(states(e)).toEqual([]);
  });

  it('noDataState normal keeps a quiet stream normal; alerting makes it fire', () => {
    const quiet = new AlertEvaluator([declineRule({ noDataState: 'normal' })], null, { allowedLatenessMs: 0 });
    quiet.observeEvents(payments(0, 60, 10, () => 0));
    quiet.advanceTo(sec(200));
    expect(quiet.list()).toEqual([]);
    const loud = new AlertEvaluator([declineRule({ noDataState: 'alerting' })], null, { allowedLatenessMs: 0 });
    loud.observeEvents(payments(0, 60, 10, () => 0));
    loud.advanceTo(sec(200));
    expect(states(loud)[0]).toEqual({ state: 'firing', transitions: ['pending@90', 'firing@110'] });
  });

  it('traffic stopped: no_data fires when events stop (wall-clock advance with no events), never before traffic began', () => {
    const r = rule({ name: 'stopped', metric: 'no_data', window: '30s', for: '10s', severity: 'critical' });
    const idle = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    idle.advanceTo(sec(0));
    idle.advanceTo(sec(600));
    expect(idle.list()).toEqual([]);

    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    e.observeEvents(payments(0, 60, 5, () => 0));
    const notes: AlertNotification[] = [];
    for (let t = 60; t <= 150; t++) notes.push(...e.advanceTo(sec(t))); // live: the engine ticks wall time
    expect(states(e)).toEqual([{ state: 'firing', transitions: ['pending@90', 'firing@100'] }]);
    expect(notes[0].summary).toContain('FIRING stopped: no payment or risk events in the last 30s');
    e.observeEvents(payments(150, 170, 5, () => 0));
    notes.push(...e.advanceTo(sec(170)));
    expect(states(e)[0].transitions).toEqual(['pending@90', 'firing@100', 'resolved@160']);
    expect(notes.map((n) => n.kind)).toEqual(['firing', 'resolved']);
  });

  it('grouped rules that an empty window can trigger still see idle groups: a merchant that stops, a count below a floor', () => {
    // Groups without events in the window are skipped only where that cannot change anything;
    // these two rules are the cases where an empty window is the signal itself.
    const stopped = rule({ name: 'merchant-stopped', metric: 'no_data', groupBy: 'merchant', window: '30s', severity: 'critical' });
    const floor = rule({ name: 'throughput-floor', metric: 'throughput', groupBy: 'merchant', condition: { below: 0.5 }, minVolume: 0, window: '30s', severity: 'warning' });
    const e = new AlertEvaluator([stopped, floor], null, { allowedLatenessMs: 0 });
    const two = (from: number, to: number, merchants: string[]) =>
      merchants.flatMap((m) => payments(from, to, 5, () => 0, () => ({ merchantId: m })));
    e.observeEvents(two(0, 60, ['m_1', 'm_2']));
    e.observeEvents(two(60, 120, ['m_2']));
    const firing = e.list().filter((a) => a.state === 'firing').map((a) => `${a.rule} ${a.labels.merchant}`).sort();
    expect(firing).toEqual(['merchant-stopped m_1', 'throughput-floor m_1']);
  });

  it('a queue poll error puts the rule in error; an error while firing keeps it firing', () => {
    const r = rule({ name: 'no-consumers', metric: 'consumer_count', condition: { below: 1 }, window: '30s', severity: 'critical' });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    const poll = (t: number, consumers: number | null, error: string | null = null) =>
      e.observeQueues([{ queue: 'work', messages: 5, consumers, at: sec(t), error }], sec(t));
    for (let t = 0; t < 130; t += 5) {
      if (t < 30) poll(t, 1);
      else if (t < 60) poll(t, null, 'connection refused');
      else if (t < 90) poll(t, 0);
      else if (t < 100) poll(t, null, 'timeout');
      else poll(t, 1);
    }
    e.advanceTo(sec(130));
    expect(states(e)).toEqual([{ state: 'resolved', transitions: ['error@40', 'firing@70', 'resolved@110'] }]);
    expect(e.list()[0].labels).toEqual({ queue: 'work' });
  });

  it('groups by merchant, and a group below minVolume does not fire', () => {
    const r = rule({
      name: 'fraud',
      metric: 'risk_blocked_count',
      groupBy: 'merchant',
      condition: { above: 5 },
      window: '1m',
      minVolume: 20,
      severity: 'critical',
    });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    const risk = (merchantId: string, total: number, blocked: number) =>
      Array.from({ length: total }, (_, i) => ev(i < blocked ? 'risk.blocked' : 'risk.scored', sec(1 + i), { merchantId, score: i < blocked ? 95 : 10 }));
    e.observeEvents([...risk('A', 30, 10), ...risk('B', 8, 8), ...risk('C', 30, 2)].sort((a, b) => a.timeMs! - b.timeMs!));
    const notes = e.advanceTo(sec(40));
    expect(e.list().map((a) => [a.labels, a.state])).toEqual([[{ merchant: 'A' }, 'firing']]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'firing', rule: 'fraud', group: 'merchant A', value: 10 });
    expect(notes[0].summary).toContain('risk blocked 10 for merchant A');
  });

  it('caps the groups kept per dimension, never evicting a group with an active alert', () => {
    const r = rule({ name: 'fraud', metric: 'risk_blocked_count', groupBy: 'merchant', condition: { above: 1 }, window: '1m' });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0, maxGroupsPerDimension: 3 });
    e.observeEvents([ev('risk.blocked', sec(1), { merchantId: 'hot' }), ev('risk.blocked', sec(2), { merchantId: 'hot' })]);
    e.advanceTo(sec(10));
    expect(e.list()[0].state).toBe('firing');
    e.observeEvents(Array.from({ length: 50 }, (_, i) => ev('risk.scored', sec(11) + i, { merchantId: `m${i}` })));
    e.advanceTo(sec(20));
    expect(e.stats().groupsEvicted).toBeGreaterThan(40);
    expect(e.list()[0]).toMatchObject({ labels: { merchant: 'hot' }, state: 'firing' });
  });

  it('silences keep the alert evaluating and shown as silenced, without notifications; expiring announces it', () => {
    const r = rule({ name: 'fraud', metric: 'risk_blocked_count', groupBy: 'merchant', condition: { above: 2 }, window: '30s', labels: { team: 'risk' } });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0, now: () => 42 });
    const s = e.silence([{ label: 'merchant', op: '=', value: 'A' }], sec(10_000), 'known test merchant', 'alice');
    expect(() => e.silence([{ label: 'merchant', op: '=~', value: '.*' }], sec(100), 'everything')).toThrow(/mute every alert/);
    const burst = (merchantId: string, from: number) => Array.from({ length: 5 }, (_, i) => ev('risk.blocked', sec(from + i), { merchantId }));
    e.observeEvents([...burst('A', 1), ...burst('D', 1)].sort((a, b) => a.timeMs! - b.timeMs!));
    let notes = e.advanceTo(sec(20));
    expect(notes.map((n) => n.labels.merchant)).toEqual(['D']);
    const a = e.list().find((x) => x.labels.merchant === 'A')!;
    expect(a).toMatchObject({ state: 'firing', silenced: true, labels: { merchant: 'A', team: 'risk' } });
    expect(e.expireSilence(s.id)).toBe(true);
    notes = e.advanceTo(sec(21));
    expect(notes.map((n) => [n.kind, n.labels.merchant])).toEqual([['firing', 'A']]);
    expect(e.list().find((x) => x.labels.merchant === 'A')!.silenced).toBe(false);
  });

  it('a silenced alert that resolves sends no notification, but its transitions are kept', () => {
    const r = rule({ name: 'fraud', metric: 'risk_blocked_count', condition: { above: 2 }, window: '30s' });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    e.silence([{ label: 'alertname', op: '=', value: 'fraud' }], sec(10_000), 'maintenance');
    e.observeEvents(Array.from({ length: 5 }, (_, i) => ev('risk.blocked', sec(1 + i))));
    e.observeEvents([ev('risk.scored', sec(100))]);
    expect(e.advanceTo(sec(100))).toEqual([]);
    expect(states(e)).toEqual([{ state: 'resolved', transitions: ['firing@10', 'resolved@40'] }]);
    expect(e.list()[0].silenced).toBe(true);
  });

  it('learns a baseline over event time and explains it in the summary', () => {
    const r = rule({
      name: 'decline-spike',
      metric: 'decline_rate',
      condition: { baseline: { deviations: 3, minDelta: '5%', halfLife: '10m', warmup: '2m' } },
      window: '30s',
      for: '10s',
      minVolume: 50,
    });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    // 4 % on average (10 s blocks of 2 % and 6 %), then 23 % from t=600.
    e.observeEvents(payments(0, 700, 100, (s) => (s >= 600 ? 23 : Math.floor(s / 10) % 2 ? 6 : 2)));
    const notes = e.advanceTo(sec(700));
    const alert = e.list()[0];
    expect(alert.state).toBe('firing');
    expect(alert.summary).toMatch(/^decline rate 23 % per attempt, baseline 4(\.\d)? % \+\/- 0\.\d+ %$/);
    expect(notes[0].summary).toMatch(/^FIRING decline-spike: decline rate \d+ % per attempt, baseline 4(\.\d)? % \+\/- 0\.\d+ %$/);
    expect(alert.transitions[0]).toEqual({ state: 'pending', at: sec(610) });
  });

  it('does not judge a baseline that is still warming up', () => {
    const r = rule({ name: 'b', metric: 'decline_rate', condition: { baseline: { warmup: '10m', minDelta: '1%' } }, window: '30s' });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    e.observeEvents(payments(0, 200, 10, (s) => (s >= 100 ? 90 : 0)));
    e.advanceTo(sec(200));
    expect(e.list()).toEqual([]);
  });

  it('acknowledges an alert with a note (operator clock), and rejects unknown keys', () => {
    const e = new AlertEvaluator([declineRule({ for: 0 })], null, { allowedLatenessMs: 0, now: () => 1234 });
    e.observeEvents(payments(0, 100, 10, (s) => (s >= 50 ? 100 : 0)));
    e.advanceTo(sec(100));
    const key = e.list()[0].key;
    expect(e.acknowledge(key, 'alice', 'issuer outage, PSP informed')).toBe(true);
    expect(e.list()[0].acknowledged).toEqual({ by: 'alice', note: 'issuer outage, PSP informed', at: 1234 });
    expect(e.acknowledge('nope', 'alice', 'x')).toBe(false);
  });

  it('counts events that arrive within the lateness allowance, and evaluates a tick only once it has passed', () => {
    const r = rule({ name: 'c', metric: 'risk_blocked_count', condition: { above: 1 }, window: '10s' });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 3000 });
    e.observeEvents([ev('risk.blocked', sec(1)), ev('risk.scored', sec(11))]);
    expect(e.lastEvaluatedAt).toBe(null); // tick 10 waits for the watermark to reach 13
    e.observeEvents([ev('risk.blocked', sec(9.5))]); // late, but in time
    e.observeEvents([ev('risk.scored', sec(13))]);
    expect(e.lastEvaluatedAt).toBe(sec(10));
    expect(e.list()[0]).toMatchObject({ state: 'firing', value: 2 });
  });

  it('an event stamped far past the wall clock (a producer clock a year ahead) neither moves the clock nor blinds the rules', () => {
    const stream = payments(0, 200, 10, (s) => (s >= 60 && s < 120 ? 100 : 0));
    const wrongClock = ev('payment.authorized', sec(0) + 365 * 86400_000);
    const e = new AlertEvaluator([declineRule()], null, { allowedLatenessMs: 0, wallClock: () => sec(200) });
    e.observeEvents([...stream.slice(0, 300), wrongClock, ...stream.slice(300)]);
    // The replay's clock (the newest event time seen, the wrong one included) is not followed either.
    const notes = [...e.advanceTo(wrongClock.timeMs!), ...e.advanceTo(sec(200))];
    expect(states(e)).toEqual([{ state: 'resolved', transitions: ['pending@80', 'firing@100', 'resolved@160'] }]);
    expect(notes.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    expect(e.clock).toBe(sec(200));
    expect(e.stats().futureEventsIgnored).toBe(1);
  });

  it('throughput, p95 and arrival-lag metrics read their windows', () => {
    const rules = [
      rule({ name: 'tp', metric: 'throughput', eventTypes: ['payment.authorized'], condition: { above: 4 }, window: '10s' }),
      rule({ name: 'p95', metric: 'risk_score_p95', condition: { above: 80 }, window: '10s' }),
      rule({ name: 'lag', metric: 'arrival_lag_p95', condition: { above: 1000 }, window: '10s' }),
    ];
    const e = new AlertEvaluator(rules, null, { allowedLatenessMs: 0 });
    e.observeEvents(
      traffic({
        fromSec: 0,
        toSec: 20,
        perSecond: 20,
        typeAt: (_s, i) => (i < 5 ? 'payment.authorized' : 'risk.scored'),
        extra: (s, i) => ({ score: i === 19 || i === 18 ? 99 : 30, arrivalMs: sec(s) + (i * 1000) / 20 + (i < 2 ? 5000 : 100) }),
      }),
    );
    e.advanceTo(sec(20));
    const byRule = Object.fromEntries(e.list().map((a) => [a.rule, a]));
    expect(byRule.tp.value).toBe(5);
    expect(byRule.tp.summary).toContain('throughput 5/s');
    expect(byRule.p95.value).toBe(99);
    expect(byRule.lag.value).toBeGreaterThan(4500);
    expect(byRule.lag.summary).toMatch(/arrival lag p95 5\d{3} ms, threshold above 1000 ms over 10s/);
  });

  it('queue depth growth needs half a window of samples and a minimum depth', () => {
    const r = rule({ name: 'grow', metric: 'queue_depth_growth', condition: { above: 100 }, window: '2m', minVolume: 1000 });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    for (let t = 0; t <= 240; t += 10) {
      e.observeQueues(
        [
          { queue: 'big', messages: 1000 + t * 10, consumers: 1, at: sec(t), error: null },
          { queue: 'small', messages: t * 3, consumers: 1, at: sec(t), error: null },
        ],
        sec(t),
      );
    }
    e.advanceTo(sec(240));
    const alerts = e.list();
    expect(alerts.map((a) => a.labels.queue)).toEqual(['big']);
    expect(alerts[0].summary).toContain('queue depth growth +600 msgs/min for queue big');
  });
});

describe('AlertEvaluator bounds', () => {
  it('a far-future timestamp costs a bounded catch-up, and later events still evaluate', () => {
    const r = rule({ name: 'stopped', metric: 'no_data', window: '1m' });
    // A real gap (a sparse capture replayed twenty years on), not a wrong clock: the wall clock is past it.
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0, maxCatchUpTicks: 1000, wallClock: () => sec(20 * 365 * 86400) });
    e.observeEvents(payments(0, 10, 1, () => 0));
    const started = performance.now();
    e.observeEvents([ev('payment.authorized', sec(10 * 365 * 86400))]); // ten years ahead
    expect(performance.now() - started).toBeLessThan(2000);
    expect(e.stats().ticks).toBeLessThanOrEqual(1001);
    expect(e.stats().skippedTicks).toBeGreaterThan(30_000_000);
    expect(states(e)[0].transitions).toEqual(['firing@70']);
    e.observeEvents([ev('payment.authorized', sec(10 * 365 * 86400 + 20))]);
    expect(e.lastEvaluatedAt).toBe(sec(10 * 365 * 86400 + 20));
    expect(e.list()[0].state).toBe('resolved');
  });
});

describe('a group too thin to judge at first', () => {
  it('fires later under its own labels and group, learning from a baseline of its own', () => {
    const r = rule({ name: 'merchant-declines', metric: 'decline_rate', groupBy: 'merchant', condition: { above: '50%' }, window: '30s', minVolume: 20 });
    const b = rule({ name: 'merchant-decline-baseline', metric: 'decline_rate', groupBy: 'merchant', condition: { baseline: { direction: 'above', deviations: 3, minDelta: '5%', halfLife: '1h', warmup: '1m', prior: { mean: '8%', deviation: '3%' } } }, window: '30s', minVolume: 20 });
    const e = new AlertEvaluator([r, b], null, { allowedLatenessMs: 0 });
    // m_thin: one payment every 10 s (never 20 in a window) for two minutes, then a declining burst.
    const thin = payments(0, 120, 1, () => 0, () => ({ merchantId: 'm_thin' })).filter((_, i) => i % 10 === 0);
    const steady = payments(0, 200, 2, () => 0, () => ({ merchantId: 'm_steady' }));
    const burst = payments(120, 200, 2, (s) => (s >= 150 ? 100 : 0), () => ({ merchantId: 'm_thin' }));
    e.observeEvents([...thin, ...steady, ...burst].sort((x, y) => x.timeMs! - y.timeMs!));
    const notes = e.advanceTo(sec(200));
    const fired = notes.filter((n) => n.kind === 'firing');
    expect(fired.map((n) => [n.rule, n.labels, n.group])).toEqual([
      ['merchant-decline-baseline', { merchant: 'm_thin' }, 'merchant m_thin'],
      ['merchant-declines', { merchant: 'm_thin' }, 'merchant m_thin'],
    ]);
    expect(e.list().map((a) => a.labels)).toEqual([{ merchant: 'm_thin' }, { merchant: 'm_thin' }]);
  });
});
