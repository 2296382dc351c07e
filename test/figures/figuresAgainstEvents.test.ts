// The figures stats, the dashboard and the live metrics give, against what the stored events
// say, computed here from the events alone: zero-, two- and three-decimal currencies mixed,
// late events (20 minutes behind arrival), retries stored before their first attempt.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/store/database';
import { storeOn } from '../../electron/core/store/store';
import { DashboardService } from '../../electron/core/dashboard/dashboardService';
import { LiveMetrics } from '../../electron/core/metrics/liveMetrics';
import { formatStatsText } from '../../electron/cli/commands/statsCommand';
import { tempDir } from '../support/tempDir';
import { EXPONENT, majorText, mixedTraffic, storeByArrival, TrafficFacts } from '../support/mixedCurrencyTraffic';

const dir = tempDir('payops-figures-');
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const HOUR = 3_600_000;
const traffic = mixedTraffic(2000, T0, 2 * HOUR);
const db = openDatabase(path.join(dir, 'mixed.db'));
const outcomes = storeByArrival(db, traffic);
const store = storeOn(db);
const facts = new TrafficFacts(traffic);

const minorRecord = (r: Record<string, bigint>) => Object.fromEntries(Object.entries(r).map(([c, v]) => [c, Number(v)]));

describe('stats against the events', () => {
  const want = facts.of();

  it('counts every event once, by type, and sums authorized minor units per currency exactly', () => {
    expect(traffic.some((e) => e.arrivalMs - e.timeMs === 20 * 60_000)).toBe(true);
    const stats = store.stats();
    expect(stats.events).toBe(want.events);
    expect(stats.byType).toEqual(want.byType);
    expect(stats.authorizedAmountByCurrency).toEqual(minorRecord(want.authorizedMinor));
    expect(Object.keys(stats.authorizedAmountByCurrency).sort()).toEqual(Object.keys(EXPONENT).sort());
    expect(stats.firstEventTime).toBe(new Date(want.firstMs!).toISOString());
    expect(stats.lastEventTime).toBe(new Date(want.lastMs!).toISOString());
    expect(stats.quarantined).toBe(0);
  });

  it('prints each currency with its own decimals, never summed together', () => {
    const line = formatStatsText(store.stats()).split('\n').find((l) => l.startsWith('authorized'))!;
    const parts = Object.keys(want.authorizedMinor).sort().map((c) => `${majorText(want.authorizedMinor[c], c)} ${c}`);
    expect(line).toBe(`authorized    ${parts.join(', ')}`);
  });
});

describe('dashboard against the events', () => {
  const dash = new DashboardService(store);
  const windows: [string, number, number][] = [
    ['the whole traffic', T0, T0 + 3 * HOUR],
    ['an inner window cutting retries and late events', T0 + 17 * 60_000, T0 + 71 * 60_000],
    ['a 13-day range read in ten-minute steps, its left step before it', T0 - 12 * 24 * HOUR - 7 * 60_000, T0 + 97 * 60_000],
  ];
  it.each(windows)('%s: attempts, approval per attempt and per payment, minor units per currency', (_name, fromMs, toMs) => {
    const s = dash.series({ fromMs, toMs, compare: 'none' });
    const want = facts.of(fromMs, toMs);
    expect(s.totals).toMatchObject({ authorized: want.authorized, declined: want.declined, failed: want.failed, payments: want.payments, approvedPayments: want.approvedPayments });
    expect(want.payments).toBeLessThan(want.authorized + want.declined + want.failed);
    for (const v of s.volume) {
      expect(v.authorizedMinor, v.currency).toBe(Number(want.authorizedMinor[v.currency] ?? 0n));
      expect(v.declinedMinor, v.currency).toBe(Number(want.declinedMinor[v.currency] ?? 0n));
      // The drawn points are major units of their own currency only.
      for (const [t, major] of v.authorized) {
        const minorInStep = facts.of(t, t + s.stepMs).authorizedMinor[v.currency] ?? 0n;
        expect(major).toBeCloseTo(Number(minorInStep) / 10 ** EXPONENT[v.currency], 6);
      }
    }
    expect(s.volume.map((v) => v.currency).sort()).toEqual(Object.keys({ ...want.authorizedMinor, ...want.declinedMinor }).sort());
  });

  it('rates per step: approval per attempt and per payment equal the events of each step', () => {
    const fromMs = T0 + 30 * 60_000;
    const s = dash.series({ fromMs, toMs: fromMs + HOUR, compare: 'none' });
    expect(s.stepMs).toBe(60_000);
    for (const [t, rate] of s.approvalRate) {
      const w = facts.of(t, t + 60_000);
      expect(rate).toBeCloseTo(w.authorized / (w.authorized + w.declined + w.failed), 12);
    }
    for (const [t, rate] of s.paymentApprovalRate) {
      const w = facts.of(t, t + 60_000);
      expect(rate).toBeCloseTo(w.approvedPayments / w.payments, 12);
    }
  });
});

describe('live metrics against the events stored so far', () => {
  it('throughput, approval per attempt and per payment, authorized minor units per currency over the last minute', () => {
    // A snapshot mid-stream: what had arrived by `cut` was stored, in arrival order.
    const cut = T0 + HOUR + 12_345;
    const arrived = traffic.filter((e) => e.arrivalMs <= cut);
    const live = new LiveMetrics();
    const liveDb = openDatabase(path.join(dir, 'live.db'));
    for (const out of storeByArrival(liveDb, arrived)) {
      const clock = Math.max(...out.inserted.map((e) => e.arrivalMs));
      live.observe(out.inserted, clock);
      live.observePayments(out.payments, clock);
    }
    liveDb.close();
    const endMs = Math.floor(cut / 1000) * 1000;
    const want = new TrafficFacts(arrived).of(endMs - 60_000, endMs);
    const f = live.figures(cut);
    expect(want.authorized).toBeGreaterThan(3);
    expect(f.rates.total.m1).toBeCloseTo(want.events / 60, 12);
    expect(f.approvalRate).toBeCloseTo(want.authorized / (want.authorized + want.declined + want.failed), 12);
    expect(f.paymentsLastMinute).toBe(want.payments);
    expect(f.paymentApprovalRate).toBeCloseTo(want.approvedPayments / want.payments, 12);
    const counts: Record<string, number> = {};
    for (const e of arrived) if (e.type === 'payment.authorized' && e.timeMs >= endMs - 60_000 && e.timeMs < endMs) counts[e.currency] = (counts[e.currency] ?? 0) + 1;
    expect(Object.fromEntries(f.authorizedLastMinute.map((v) => [v.currency, v.amount]))).toEqual(minorRecord(want.authorizedMinor));
    expect(Object.fromEntries(f.authorizedLastMinute.map((v) => [v.currency, v.count]))).toEqual(counts);
  });

  it('the batches handed to live metrics hold each stored event once', () => {
    expect(outcomes.reduce((n, o) => n + o.inserted.length, 0)).toBe(traffic.length);
  });
});
