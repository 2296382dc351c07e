import { describe, expect, it } from 'vitest';
import type { IngestedEvent } from '../store/eventWriter';
import { LiveMetrics } from './liveMetrics';

const T = Date.UTC(2026, 5, 1, 12, 0, 0);
function authorized(at: number, amount: number, currency: string | null): IngestedEvent {
  return {
    source: 's', id: `${at}-${amount}-${currency}`, type: 'payment.authorized', category: 'payment', timeMs: at, subject: null, paymentId: 'p', merchantId: 'm',
    amount, currency, country: null, method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}', arrivalMs: at, routingKey: null,
  };
}

describe('live metrics: authorized volume per currency', () => {
  it('keeps one sum per currency over the last minute, busiest first, never added across currencies', () => {
    const m = new LiveMetrics();
    m.observe([authorized(T - 70_000, 999, 'EUR'), authorized(T - 30_000, 13367, 'JPY'), authorized(T - 20_000, 1, 'JPY'), authorized(T - 10_000, 1250, 'EUR'), authorized(T - 5_000, 1250, 'KWD'), authorized(T - 4_000, 7, null)], T);
    const f = m.figures(T);
    expect(f.authorizedLastMinute).toEqual([
      { currency: 'JPY', amount: 13368, count: 2 },
      { currency: '', amount: 7, count: 1 },
      { currency: 'EUR', amount: 1250, count: 1 },
      { currency: 'KWD', amount: 1250, count: 1 },
    ]);
  });
});

describe('live metrics: approval per payment', () => {
  it('reads the payments started in the last minute and how many were approved, a moved start included', () => {
    const m = new LiveMetrics();
    const sec = (ms: number) => Math.floor(ms / 1000);
    m.observePayments(
      [
        { sec: sec(T - 90_000), key: 'started', count: 5 }, // older than a minute: not counted
        { sec: sec(T - 30_000), key: 'started', count: 4 },
        { sec: sec(T - 30_000), key: 'approved', count: 2 },
        { sec: sec(T - 10_000), key: 'started', count: 1 },
        { sec: sec(T - 10_000), key: 'approved', count: 1 },
      ],
      T,
    );
    expect(m.figures(T)).toMatchObject({ paymentsLastMinute: 5, paymentApprovalRate: 3 / 5 });
    // A late earlier attempt moved a payment's start from T-10 s to T-70 s, out of the minute.
    m.observePayments(
      [
        { sec: sec(T - 10_000), key: 'started', count: -1 },
        { sec: sec(T - 10_000), key: 'approved', count: -1 },
        { sec: sec(T - 70_000), key: 'started', count: 1 },
        { sec: sec(T - 70_000), key: 'approved', count: 1 },
      ],
      T,
    );
    expect(m.figures(T)).toMatchObject({ paymentsLastMinute: 4, paymentApprovalRate: 2 / 4 });
    expect(new LiveMetrics().figures(T)).toMatchObject({ paymentsLastMinute: 0, paymentApprovalRate: null });
  });
});

describe('live metrics: an event stamped far in the future (a producer with a wrong clock)', () => {
  it('does not blank the live figures: events of the present keep counting', () => {
    const m = new LiveMetrics();
    const now = T;
    m.observe([authorized(now - 20_000, 100, 'EUR')], now);
    // One event a day ahead of the wall clock, then the present traffic goes on.
    m.observe([authorized(now + 86_400_000, 100, 'EUR')], now);
    m.observe([authorized(now - 10_000, 100, 'EUR'), authorized(now - 5_000, 100, 'EUR')], now);
    m.observePayments([{ sec: Math.floor((now - 5_000) / 1000), key: 'started', count: 1 }], now);
    const f = m.figures(now);
    expect(f.rates.total.m1 * 60).toBe(3);
    expect(f.authorizedLastMinute).toEqual([{ currency: 'EUR', amount: 300, count: 3 }]);
    expect(f.paymentsLastMinute).toBe(1);
  });
});

describe('live metrics: approval per attempt', () => {
  it('counts a technical failure as an attempt not approved, as explain and the alert rules do', () => {
    const m = new LiveMetrics();
    const of = (type: IngestedEvent['type'], at: number): IngestedEvent => ({ ...authorized(at, 100, 'EUR'), id: `${type}-${at}`, type });
    m.observe([of('payment.authorized', T - 30_000), of('payment.authorized', T - 20_000), of('payment.declined', T - 10_000), of('payment.failed', T - 5_000)], T);
    const f = m.figures(T);
    expect(f.approvalRate).toBe(2 / 4);
    expect(f.declineRate).toBe(1 / 4);
    expect(f.failureRate).toBe(1 / 4);
  });
});

describe('live metrics: events that arrive after their second was sent (producer lag)', () => {
  it('sends them as late counts of that second, so the throughput chart sums to what was stored', () => {
    const m = new LiveMetrics();
    const counted = (points: { counts: Partial<Record<string, number>> }[]) => points.reduce((n, p) => n + Object.values(p.counts).reduce((a: number, b) => a + (b ?? 0), 0), 0);
    let stored = 0;
    let onChart = 0;
    // Ten events a second, each arriving two seconds after its event time; a snapshot every 100 ms.
    for (let now = T; now < T + 30_000; now += 100) {
      m.observe([{ ...authorized(now - 2000, 100, 'EUR'), id: `lag-${now}`, arrivalMs: now }], now);
      stored += 1;
      const f = m.figures(now);
      onChart += counted(f.throughputTail) + counted(f.throughputLate ?? []);
    }
    // Every event whose second has ended is on the chart (the last two seconds' are not sent yet).
    expect(onChart).toBeGreaterThanOrEqual(stored - 20);
    expect(onChart).toBeLessThanOrEqual(stored);
    // A late count is sent once.
    expect(m.figures(T + 30_000).throughputLate ?? []).toEqual([]);
  });
});

describe('live metrics: events stamped far ahead of the clock', () => {
  it('keeps no second for them (a producer years ahead added one per second, never evicted), and still counts one minutes ahead once the clock reaches it', () => {
    const m = new LiveMetrics();
    const now = T;
    const threeYears = 3 * 365 * 86_400_000;
    for (let i = 0; i < 5000; i++) m.observe([authorized(now + threeYears + i * 1000, 100, 'EUR')], now + i);
    m.figures(now + 5000);
    expect(m.secondsHeld).toBe(0);
    m.observe([authorized(now + 300_000, 100, 'EUR')], now);
    expect(m.figures(now + 330_000).rates.total.m1 * 60).toBe(1);
  });
});

describe('live metrics: arrival lag on the session clock', () => {
  it('reads the arrivals of the minute before the newest arrival when it is ahead of the clock given, not before the wall clock', () => {
    const m = new LiveMetrics();
    // A replay of a capture of 2026: the clock is event time, arrivals recorded 2 s after.
    const e = { ...authorized(T, 5, 'EUR'), arrivalMs: T + 2_000 };
    m.observe([e], T);
    // Stored: arrived, as live it was stored on arriving.
    const f = m.figures(T);
    expect(f.arrivalLagMs.p50).toBeGreaterThanOrEqual(2_000);
    expect(f.arrivalLagMs.p50).toBeLessThanOrEqual(2_000 * 1.05);
    expect(f.arrival?.endSec).toBe(Math.floor((T + 2_000) / 1000));
    expect(m.figures(T + 3_000).arrival?.rates.m1).toBeCloseTo(1 / 60);
    // A minute later on the same clock it has left the window.
    expect(m.figures(T + 63_000).arrivalLagMs.p50).toBeNull();
  });

  it('reads arrivals recorded a day after their events at their own time, and lets them go two minutes after newer ones', () => {
    const m = new LiveMetrics();
    const DAY = 86_400_000;
    m.observe([{ ...authorized(T, 5, 'EUR'), arrivalMs: T + DAY }], T);
    expect(m.lastArrival).toBe(T + DAY);
    const f = m.figures(T);
    expect(f.arrival?.endSec).toBe(Math.floor((T + DAY) / 1000));
    expect(f.arrivalLagMs.p50).toBeGreaterThanOrEqual(DAY);
    expect(f.arrivalLagMs.p50).toBeLessThanOrEqual(DAY * 1.05);
    // A newer arrival three minutes on: the day-late one is out of every arrival figure.
    m.observe([{ ...authorized(T + 1000, 5, 'EUR'), arrivalMs: T + DAY + 180_000 }], T + 1000);
    const later = m.figures(T + 1000);
    expect(later.arrival!.endSec).toBe(Math.floor((T + DAY + 180_000) / 1000));
    expect(later.arrival!.perSecond.reduce((a, b) => a + b, 0)).toBe(0);
  });
});

describe('live metrics: how many currencies were authorized', () => {
  it('sends the eight busiest and the true number of currencies of the last minute', () => {
    const m = new LiveMetrics();
    const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'KWD', 'BHD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'];
    // EUR once, USD twice ... so the busiest first is CZK, PLN, ...
    m.observe(currencies.flatMap((c, i) => Array.from({ length: i + 1 }, (_, k) => authorized(T - 1000 * (k + 1), 100 + i, c))), T);
    const f = m.figures(T);
    expect(f.authorizedLastMinute.map((v) => v.currency)).toEqual([...currencies].reverse().slice(0, 8));
    expect(f.authorizedCurrencies).toBe(12);
    expect(new LiveMetrics().figures(T).authorizedCurrencies).toBe(0);
  });
});

describe('live metrics: arrival lag read at its bin upper edge', () => {
  it('never reads a lag below the true one, and reads within 5 % above it, as the arrival_lag_p95 rule does', () => {
    // Lags of 1.9 s: the tiles read the bin's lower edge, 1.578 s (1.25^33), before.
    for (const lagMs of [1, 2, 7, 180, 1_900, 1_999, 61_000, 3_600_000]) {
      const m = new LiveMetrics();
      m.observe([1, 2, 3].map((i) => ({ ...authorized(T + i, 5, 'EUR'), id: `l-${lagMs}-${i}`, arrivalMs: T + i + lagMs })), T + 3);
      const f = m.figures(T + 3);
      for (const p of [f.arrivalLagMs.p50!, f.arrivalLagMs.p95!]) {
        expect(p, `lag ${lagMs} ms`).toBeGreaterThanOrEqual(lagMs);
        expect(p, `lag ${lagMs} ms`).toBeLessThanOrEqual(Math.max(lagMs + 1, lagMs * 1.05));
      }
    }
  });
});

describe('live metrics: lag histograms of arrival seconds no longer kept are reused', () => {
  const arrival = (at: number, lagMs: number, n: number): IngestedEvent => ({ ...authorized(at - lagMs, n, 'EUR'), id: `${at}-${lagMs}-${n}`, arrivalMs: at });
  it('counts a reused histogram\'s new second only, after the windows let seconds go and after a seek emptied them', () => {
    const reused = new LiveMetrics();
    // Three minutes of arrivals a day late, one second each, let go by the snapshots after them.
    for (let s = 0; s < 180; s++) {
      reused.observe([arrival(T + s * 1000, 86_400_000, s)], T + s * 1000);
      if (s % 30 === 29) reused.figures(T + s * 1000, true);
    }
    const later = T + 400_000;
    reused.figures(later, true);
    const fresh = new LiveMetrics();
    for (const m of [reused, fresh]) for (let s = 0; s < 50; s++) m.observe([arrival(later + s * 1000, 200 + s, s), arrival(later + s * 1000, 900, s + 1000)], later + s * 1000);
    const end = later + 50_000;
    expect(reused.figures(end, true).arrivalLagMs).toEqual(fresh.figures(end, true).arrivalLagMs);
    expect(fresh.figures(end, true).arrivalLagMs.p95).toBeLessThan(1000);
    // A seek empties the windows: their histograms are reused too.
    reused.clearWindows();
    const again = new LiveMetrics();
    for (const m of [reused, again]) for (let s = 0; s < 10; s++) m.observe([arrival(end + s * 1000, 40, s)], end + s * 1000);
    expect(reused.figures(end + 10_000, true).arrivalLagMs).toEqual(again.figures(end + 10_000, true).arrivalLagMs);
  });
});
