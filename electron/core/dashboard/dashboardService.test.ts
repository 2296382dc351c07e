import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiRequest } from '../../../shared/api';
import { DASHBOARD_MAX_POINTS } from '../../../shared/dashboardApi';
import { openDatabase } from '../store/database';
import { storeOn } from '../store/store';
import { cloudEvent, expectedFigures, trafficBetween, type KitEvent } from '../../../test/support/dashboardTestKit';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { DashboardService } from './dashboardService';

const dir = tempDir('payops-dashboard-');
let n = 0;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const HOUR = 3600_000;

function serviceWith(events: KitEvent[]) {
  const db = openDatabase(path.join(dir, `dash-${++n}.db`));
  storeEvents(db, events.map(cloudEvent));
  return new DashboardService(storeOn(db));
}

const sum = (points: [number, number][]) => points.reduce((s, p) => s + p[1], 0);

describe('DashboardService (per-minute rollups)', () => {
  // The hours these tests read (the window with an hour either side, and the same hours a day
  // before), not the day between them: storing and scanning 28 hours cost CI ~10 s of CPU.
  const events = [...trafficBetween(T0 - 25 * HOUR, T0 - 22 * HOUR, 30, 7), ...trafficBetween(T0 - HOUR, T0 + 2 * HOUR, 30, 8)];
  const dash = serviceWith(events);

  it('shows what the stored events say for a window: rates, money per currency, codes, decisions', () => {
    const fromMs = T0;
    const toMs = T0 + HOUR;
    const s = dash.series({ fromMs, toMs, compare: 'none' });
    const want = expectedFigures(events, fromMs, toMs);
    expect(s.source).toBe('rollup_minute');
    expect(s.stepMs).toBe(60_000);
    expect(s.totals).toMatchObject({ authorized: want.authorized, declined: want.declined, failed: want.failed });
    // Attempts are authorized + declined + failed, as explain and the alert rules count them.
    expect(want.failed).toBeGreaterThan(0);
    expect(sum(s.attempts)).toBe(want.authorized + want.declined + want.failed);
    // each step's approval, decline and failure rates add to one; weighted by attempts they give the window's rate
    const weighted = s.approvalRate.reduce((acc, [t, r]) => acc + r * s.attempts.find((a) => a[0] === t)![1], 0);
    expect(weighted / sum(s.attempts)).toBeCloseTo(want.approvalRate, 9);
    s.approvalRate.forEach(([t, r], i) => {
      expect(s.declineRate[i][0]).toBe(t);
      expect(s.declineRate[i][1]).toBeLessThan(1 - r + 1e-12);
    });
    // Per payment: retries (same paymentId) once, in the step of the first attempt, even when the
    // retry falls in the next step or outside the window.
    expect(want.payments).toBeLessThan(want.authorized + want.declined + want.failed);
    expect(s.totals).toMatchObject({ payments: want.payments, approvedPayments: want.approvedPayments });
    expect(s.paymentApprovalRate).toHaveLength(60);
    for (const [t, r] of s.paymentApprovalRate) expect(r).toBeCloseTo(expectedFigures(events, t, t + 60_000).paymentApprovalRate, 12);
    for (const v of s.volume) {
      expect(sum(v.authorized)).toBeCloseTo(want.authorizedMajor[v.currency], 6);
      expect(sum(v.declined)).toBeCloseTo(want.declinedMajor[v.currency] ?? 0, 6);
    }
    expect(s.volume.map((v) => v.currency).sort()).toEqual(['EUR', 'JPY', 'KWD']);
    expect(Object.fromEntries(s.declineCodes.map((c) => [c.code, c.count]))).toEqual(want.declineCodes);
    expect(s.declineCodes.map((c) => c.count)).toEqual([...s.declineCodes.map((c) => c.count)].sort((a, b) => b - a));
    expect(Object.fromEntries(s.decisions.map((d) => [d.decision, d.total]))).toEqual(want.decisions);
    for (const d of s.decisions) expect(sum(d.points)).toBe(d.total);
  });

  it('gives latency p50/p95/p99 within the histogram resolution (4.5 %) of the exact percentiles', () => {
    const s = dash.series({ fromMs: T0, toMs: T0 + HOUR, compare: 'none' });
    const want = expectedFigures(events, T0, T0 + HOUR);
    for (const [got, exact] of [
      [s.totals.latencyP50, want.latencyP50],
      [s.totals.latencyP95, want.latencyP95],
      [s.totals.latencyP99, want.latencyP99],
    ]) {
      expect(got).not.toBeNull();
      expect(Math.abs(got! - exact!) / (exact! + 1)).toBeLessThan(0.045);
    }
    expect(s.latencyP50.length).toBe(60);
    for (let i = 0; i < 60; i++) {
      expect(s.latencyP50[i][1]).toBeLessThanOrEqual(s.latencyP95[i][1]);
      expect(s.latencyP95[i][1]).toBeLessThanOrEqual(s.latencyP99[i][1]);
    }
  });

  it('charts authorization latency from attempts only, not the latencyMs of captures, refunds or other payment events', () => {
    const db = openDatabase(path.join(dir, `dash-${++n}.db`));
    const attempts: KitEvent[] = [
      ...Array.from({ length: 60 }, (_, i): KitEvent => ({ type: 'payment.authorized', timeMs: T0 + i * 500, latencyMs: 200 })),
      ...Array.from({ length: 20 }, (_, i): KitEvent => ({ type: 'payment.declined', timeMs: T0 + i * 500, latencyMs: 200, declineCode: '05' })),
      ...Array.from({ length: 20 }, (_, i): KitEvent => ({ type: 'payment.failed', timeMs: T0 + i * 500, latencyMs: 200 })),
    ];
    // A capture, refund or dispute carries the latency of its own call (a batch capture takes minutes).
    const others = ['payment.initiated', 'payment.captured', 'payment.refunded', 'payment.chargeback'].flatMap((type) =>
      Array.from({ length: 10 }, (_, i) => ({ ...cloudEvent({ type: 'payment.authorized', timeMs: T0 + i * 1000, latencyMs: 30_000 }), type })),
    );
    storeEvents(db, [...attempts.map(cloudEvent), ...others]);
    const s = new DashboardService(storeOn(db)).series({ fromMs: T0, toMs: T0 + HOUR, compare: 'none' });
    for (const p of [s.totals.latencyP50, s.totals.latencyP95, s.totals.latencyP99, s.latencyP99[0][1]]) expect(Math.abs(p! - 200) / 201).toBeLessThan(0.045);
  });

  it('compares with the same window yesterday, drawn on this window’s times', () => {
    const s = dash.series({ fromMs: T0, toMs: T0 + HOUR, compare: 'yesterday' });
    const want = expectedFigures(events, T0 - 24 * HOUR, T0 - 23 * HOUR);
    expect(s.compare).not.toBeNull();
    expect(s.compare!.offsetMs).toBe(24 * HOUR);
    expect(s.compare!.totals).toMatchObject({ authorized: want.authorized, declined: want.declined });
    for (const [t] of s.compare!.approvalRate) expect(t >= T0 && t < T0 + HOUR).toBe(true);
  });

  it('compares with the same local clock time yesterday across a daylight-saving change (Europe/Berlin)', () => {
    // 2026-03-29: Berlin's clocks go from 02:00 CET to 03:00 CEST. 09:00 local that Sunday is
    // 07:00 UTC; 09:00 local the Saturday before is 08:00 UTC, 23 hours earlier, not 24.
    const sunday0900 = Date.UTC(2026, 2, 29, 7, 0, 0);
    const saturday0900 = Date.UTC(2026, 2, 28, 8, 0, 0);
    // The Saturday's morning (both candidate hours) and the Sunday's window: nothing between is read.
    const traffic = [...trafficBetween(saturday0900 - 2 * HOUR, saturday0900 + 2 * HOUR, 20, 11), ...trafficBetween(sunday0900, sunday0900 + HOUR, 20, 12)];
    const dash = serviceWith(traffic);
    const s = dash.series({ fromMs: sunday0900, toMs: sunday0900 + HOUR, compare: 'yesterday', timeZone: 'Europe/Berlin' });
    const want = expectedFigures(traffic, saturday0900, saturday0900 + HOUR);
    const fixedDay = expectedFigures(traffic, sunday0900 - 24 * HOUR, sunday0900 - 23 * HOUR);
    expect(want.authorized).not.toBe(fixedDay.authorized);
    expect(s.compare!.offsetMs).toBe(23 * HOUR);
    expect(s.compare!.totals).toMatchObject({ authorized: want.authorized, declined: want.declined, failed: want.failed });
    // drawn on this window's times: the Saturday's 09:00 step at the Sunday's 09:00
    expect(s.compare!.fromMs).toBe(sunday0900);
    expect(s.compare!.toMs).toBe(sunday0900 + HOUR);
    expect(s.compare!.attempts[0][0]).toBe(sunday0900);
    // New York's change (2026-03-08) is another day: there, the same Sunday is 24 hours back
    const ny = dash.series({ fromMs: sunday0900, toMs: sunday0900 + HOUR, compare: 'yesterday', timeZone: 'America/New_York' });
    expect(ny.compare!.offsetMs).toBe(24 * HOUR);
    expect(ny.compare!.totals.authorized).toBe(fixedDay.authorized);
  });

  it('compares with last week at the same local clock time across the autumn change (America/New_York)', () => {
    // 2026-11-01 02:00 EDT -> 01:00 EST. Tuesday 2026-11-03 10:00 EST is 15:00 UTC; the Tuesday
    // before, 10:00 EDT, is 14:00 UTC: 7 days and one hour back.
    const tuesday = Date.UTC(2026, 10, 3, 15, 0, 0);
    const weekBefore = Date.UTC(2026, 9, 27, 14, 0, 0);
    const traffic = [...trafficBetween(weekBefore - HOUR, weekBefore + 2 * HOUR, 20, 5), ...trafficBetween(tuesday, tuesday + HOUR, 5, 6)];
    const s = serviceWith(traffic).series({ fromMs: tuesday, toMs: tuesday + HOUR, compare: 'lastWeek', timeZone: 'America/New_York' });
    expect(s.compare!.offsetMs).toBe(7 * 24 * HOUR + HOUR);
    expect(s.compare!.totals.authorized).toBe(expectedFigures(traffic, weekBefore, weekBefore + HOUR).authorized);
  });

  it('refuses a time zone it does not know, naming the field', () => {
    expect(() => parseApiRequest('dashboard.series', { fromMs: T0, toMs: T0 + HOUR, compare: 'yesterday', timeZone: 'Mars/Olympus' })).toThrow(/dashboard.series: timeZone: not a known IANA time zone/);
  });

  it('keeps a 7-day range bounded and a one-minute decline spike visible (LTTB)', () => {
    const spikeAt = T0 - 3 * 24 * HOUR + 17 * 60_000;
    const spiky = [
      ...trafficBetween(T0 - 7 * 24 * HOUR, T0, 2, 3),
      ...Array.from({ length: 40 }, (_, i): KitEvent => ({ type: 'payment.declined', timeMs: spikeAt + i, currency: 'EUR', amount: 100, latencyMs: 50, declineCode: '05' })),
    ];
    // Not on a ten-minute boundary at either end: the ragged ends come from the minute rollups,
    // the whole buckets between them from the ten-minute ones, and the figures are the events'.
    const fromMs = T0 - 7 * 24 * HOUR + 3 * 60_000;
    const toMs = T0 - 4 * 60_000;
    const s = serviceWith(spiky).series({ fromMs, toMs, compare: 'none' });
    expect(s.stepMs).toBe(10 * 60_000);
    const want = expectedFigures(spiky, fromMs, toMs);
    expect(s.totals).toMatchObject({ authorized: want.authorized, declined: want.declined, failed: want.failed });
    expect(Object.fromEntries(s.declineCodes.map((c) => [c.code, c.count]))).toEqual(want.declineCodes);
    for (const line of [s.approvalRate, s.declineRate, s.latencyP95, ...s.volume.map((v) => v.authorized)]) expect(line.length).toBeLessThanOrEqual(DASHBOARD_MAX_POINTS);
    const spikeStep = Math.floor(spikeAt / s.stepMs) * s.stepMs;
    const peak = s.declineRate.find(([t]) => t === spikeStep);
    const usual = [...s.declineRate.map(([, r]) => r)].sort((a, b) => a - b)[Math.floor(s.declineRate.length / 2)];
    expect(peak?.[1]).toBeGreaterThan(0.5);
    expect(peak![1]).toBeGreaterThan(3 * usual);
  });

  it('reads a step that begins before the window whole, and keeps the minutes before the window out of its totals', () => {
    // One authorized EUR 10.00 payment, one latency of 100 ms and one decision a minute, for eight days.
    const steady: KitEvent[] = [];
    for (let m = T0 - 8 * 24 * HOUR; m < T0; m += 60_000) {
      steady.push({ type: 'payment.authorized', timeMs: m + 1000, amount: 1000, currency: 'EUR', latencyMs: 100 }, { type: 'risk.scored', timeMs: m + 1000, decision: 'approve' });
    }
    // A 7-day preset ending at 07:57: its steps are ten minutes, on ten-minute boundaries, and the
    // window begins at 07:57 seven days before, inside the step of 07:50.
    const toMs = T0 - 3 * 60_000;
    const fromMs = toMs - 7 * 24 * HOUR;
    const s = serviceWith(steady).series({ fromMs, toMs, compare: 'none' });
    expect(s.stepMs).toBe(10 * 60_000);
    // Every step reads its ten minutes (the step of 07:50 read 3 before: a dip at the left edge of
    // every 7-day chart of counts); only the last, cut by the window's end, has fewer.
    const steps = (points: [number, number][]) => points.map(([, v]) => v);
    expect(s.attempts[0][0]).toBe(fromMs - 7 * 60_000);
    expect(new Set(steps(s.attempts).slice(0, -1))).toEqual(new Set([10]));
    expect(new Set(steps(s.decisions[0].points).slice(0, -1))).toEqual(new Set([10]));
    expect(new Set(steps(s.volume[0].authorized).slice(0, -1))).toEqual(new Set([100]));
    // The window's figures are still the events' in [fromMs, toMs).
    const minutes = 7 * 24 * 60;
    expect(s.totals).toMatchObject({ authorized: minutes, payments: minutes, approvedPayments: minutes });
    expect(s.volume[0]).toMatchObject({ authorizedMinor: 1000 * minutes, authorizedCount: minutes });
    expect(s.decisions[0].total).toBe(minutes);
  });

  it('reads the same figures from the ten-minute rollups as from the minutes they sum', () => {
    const db = openDatabase(path.join(dir, `dash-${++n}.db`));
    storeEvents(db, trafficBetween(T0 - 2 * 24 * HOUR, T0, 3, 5).map(cloudEvent));
    const store = storeOn(db);
    for (const dim of ['type', 'authorized', 'declined', 'decline', 'decision', 'latency'] as const) {
      const fromMin = Math.floor((T0 - 2 * 24 * HOUR) / 60_000) + 7;
      const toMin = Math.floor(T0 / 60_000) - 3;
      const both = store.minuteRollups.bySteps(dim, 30, fromMin, toMin);
      const minutesOnly = db
        .prepare(`SELECT CAST(minute / 30 AS INTEGER) * 30 AS t, key, SUM(count) AS n, SUM(amount) AS a FROM rollup_minute WHERE dim = ? AND minute >= ? AND minute < ? GROUP BY t, key ORDER BY t, key`)
        .all(dim, fromMin, toMin) as { t: number; key: string; n: number; a: number }[];
      const byKey = (cells: { t: number; key: string; n: number; a: number }[]) => [...cells].sort((x, y) => x.t - y.t || x.key.localeCompare(y.key)).map((c) => [c.t, c.key, c.n, Math.round(c.a * 1000) / 1000]);
      expect(byKey(both), dim).toEqual(byKey(minutesOnly));
      expect(both.length, dim).toBeGreaterThan(0);
    }
  });

  it('says how many decline codes and declines its top 10 leave out', () => {
    // 14 codes: code c<i> declined i + 1 times, and 2 declines without a code ('unknown').
    const events: KitEvent[] = [];
    for (let i = 0; i < 14; i++) for (let k = 0; k <= i; k++) events.push({ type: 'payment.declined', timeMs: T0 + (i * 20 + k) * 1000, amount: 100, currency: 'EUR', declineCode: `c${String(i).padStart(2, '0')}` });
    events.push({ type: 'payment.declined', timeMs: T0 + 5000, amount: 1, currency: 'JPY' }, { type: 'payment.declined', timeMs: T0 + 6000, amount: 1, currency: 'JPY' });
    const s = serviceWith(events).series({ fromMs: T0, toMs: T0 + HOUR, compare: 'yesterday', timeZone: 'UTC' });
    expect(s.declineCodes.map((c) => c.code)).toEqual(['c13', 'c12', 'c11', 'c10', 'c09', 'c08', 'c07', 'c06', 'c05', 'c04']);
    // Left out: c03..c00 (4 + 3 + 2 + 1 declines) and 'unknown' (2).
    expect(s.declineCodesLeftOut).toEqual({ codes: 5, count: 12 });
    expect(s.declineCodes.reduce((n, c) => n + c.count, 0) + s.declineCodesLeftOut!.count).toBe(s.totals.declined);
    expect(s.compare!.declineCodesLeftOut).toEqual({ codes: 0, count: 0 });
  });

  it('refuses a window that ends before it starts or spans more than 31 days, naming the field', () => {
    expect(() => parseApiRequest('dashboard.series', { fromMs: 2000, toMs: 1000 })).toThrow(/dashboard.series: toMs: toMs must be after fromMs/);
    expect(() => parseApiRequest('dashboard.series', { fromMs: 0, toMs: 40 * 24 * HOUR })).toThrow(/fromMs: range must be at most 31 days/);
  });

  it('takes a whole calendar month with a DST change (1 Oct to 1 Nov 2026 in Europe/Berlin, 745 h), not an hour more', () => {
    const fromMs = Date.UTC(2026, 8, 30, 22, 0); // 1 Oct 00:00 CEST
    const toMs = Date.UTC(2026, 9, 31, 23, 0); // 1 Nov 00:00 CET
    expect(toMs - fromMs).toBe(745 * HOUR);
    expect(parseApiRequest('dashboard.series', { fromMs, toMs }).args).toMatchObject({ fromMs, toMs });
    expect(() => parseApiRequest('dashboard.series', { fromMs, toMs: toMs + 60_000 })).toThrow(/dashboard.series: fromMs: range must be at most 31 days/);
    expect(() => parseApiRequest('dashboard.series', { fromMs: 0, toMs: 1, compare: 'tomorrow' })).toThrow(/compare/);
  });
});
