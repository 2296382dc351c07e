// Thread: the read worker. The dashboard's charts for any window, read from the per-minute
// rollups (migration 170) only: the cost depends on the window's minutes, never on how many
// events they hold. Lines are then bounded with LTTB (boundSeries).
import { COMPARE_DAYS, DASHBOARD_MAX_POINTS, type CurrencyVolumeSeries, type DashboardSeries, type DashboardWindow, type SeriesPoint } from '../../../shared/dashboardApi';
import type { ApiParsedArgs } from '../../../shared/api';
import { minorPerMajor } from '../../../shared/currencies';
import { histogramQuantile } from '../../../shared/latencyHistogram';
import type { MinuteDim } from '../store/minuteRollupRepository';
import type { ReadStore } from '../store/store';
import { boundSeries } from './boundSeries';
import { shiftCalendarDays } from './calendarShift';

const MINUTE_MS = 60_000;
/** Steps read per chart at most before downsampling: 7 days is read in 10-minute steps. */
export const MAX_STEPS = 2000;
/**
 * Step sizes in minutes, as Grafana rounds its intervals: a step reads the same on every range
 * that uses it, and from ten minutes on it is whole ten-minute rollups (migration 180).
 */
const NICE_STEPS_MIN = [1, 2, 3, 5, 10, 20, 30, 60, 120, 180, 360, 720, 1440];

/** The smallest nice step that reads at most MAX_STEPS steps over the window. */
export function stepMinutesFor(spanMin: number): number {
  const least = Math.max(1, Math.ceil(spanMin / MAX_STEPS));
  return NICE_STEPS_MIN.find((s) => s >= least) ?? Math.ceil(least / 1440) * 1440;
}
const TOP_DECLINE_CODES = 10;

export class DashboardService {
  constructor(private readonly store: ReadStore) {}

  series(args: ApiParsedArgs<'dashboard.series'>): DashboardSeries {
    const fromMin = Math.floor(args.fromMs / MINUTE_MS);
    const toMin = Math.max(fromMin + 1, Math.ceil(args.toMs / MINUTE_MS));
    const stepMin = stepMinutesFor(toMin - fromMin);
    // Latency percentiles are read at a whole multiple of the step giving at most the points a
    // chart draws; the compare window is read at the current window's, so its steps draw onto them.
    const latencyStepMin = stepMin * Math.max(1, Math.ceil((toMin - fromMin) / stepMin / DASHBOARD_MAX_POINTS));
    const current = this.window(fromMin, toMin, stepMin, latencyStepMin, (ms) => ms, (points) => points);
    const days = COMPARE_DAYS[args.compare];
    let compare: DashboardSeries['compare'] = null;
    if (days > 0) {
      // Same local clock time `days` calendar days back, as an operator means "yesterday": a
      // fixed 24 h is 23 or 25 h of local time across a daylight-saving change.
      const back = (ms: number) => shiftCalendarDays(ms, -days, args.timeZone);
      const fromBack = Math.floor(back(fromMin * MINUTE_MS) / MINUTE_MS);
      const toBack = Math.max(fromBack + 1, Math.ceil(back(toMin * MINUTE_MS) / MINUTE_MS));
      const draw = compareDrawing(fromMin * MINUTE_MS, toMin * MINUTE_MS, back);
      const forward = (ms: number) => shiftCalendarDays(ms, days, args.timeZone);
      compare = { ...this.window(fromBack, toBack, stepMin, latencyStepMin, forward, draw), offsetMs: fromMin * MINUTE_MS - fromBack * MINUTE_MS, with: args.compare };
    }
    return { ...current, stepMs: stepMin * MINUTE_MS, source: 'rollup_minute', compare };
  }

  /**
   * Minutes [fromMin, toMin) in steps of `stepMin` (latency in steps of `latencyStepMin`); each
   * line's points (at their steps' starts) are drawn by `draw` (onto the shown window's steps, for
   * a compare window) before they are thinned, and the window's edges moved by `drawAt`.
   */
  private window(fromMin: number, toMin: number, stepMin: number, latencyStepMin: number, drawAt: (ms: number) => number, draw: SeriesDrawing): DashboardWindow {
    if (!this.store.hasTables('rollup_minute')) return emptyWindow(fromMin, toMin, drawAt);
    const rollups = this.store.minuteRollups;
    // Steps are aligned on absolute time (so a step keeps its value as the window moves).
    const at = (t: number) => t * MINUTE_MS;
    const stepMs = stepMin * MINUTE_MS;
    const bound = (points: SeriesPoint[], ms = stepMs) => boundSeries(draw(points, ms));
    // A step that begins before the window is read whole, as every other step is: read from the
    // window's start, the step of 07:50 of a 7-day range from 07:57 read 3 minutes as if they were
    // its ten, a dip at the left edge of every chart of counts. The window's totals leave out the
    // minutes before it (`before`, at most a step's, from the minute rollups).
    // The step the window ends in is read whole too (a fixed range ending at 07:57 of a 10-minute
    // step drew that step's 7 minutes as if they were its ten, a dip at the right edge); the
    // totals leave out the minutes after the window (`after`) as they do those before it.
    const stepFrom = Math.floor(fromMin / stepMin) * stepMin;
    const stepTo = Math.ceil(toMin / stepMin) * stepMin;
    const before = (dim: MinuteDim, from = stepFrom) => (from < fromMin ? rollups.totals(dim, from, fromMin) : []);
    const after = (dim: MinuteDim, to = stepTo) => (to > toMin ? rollups.totals(dim, toMin, to) : []);
    /** The cells read outside the window, before and after it. */
    const outside = (dim: MinuteDim, from = stepFrom, to = stepTo) => [...before(dim, from), ...after(dim, to)];
    const countOf = (cells: { key: string; n: number }[], key: string) => cells.reduce((n, c) => (c.key === key ? n + c.n : n), 0);

    // Attempts are authorized + declined + failed (as explain and the alert rules count them).
    const attempts = new Map<number, { a: number; d: number; f: number }>();
    // Window totals are summed from the steps already read: a second scan of the same rows
    // (SUM over the window) doubled the cost of a 7-day range.
    let authorized = 0;
    let declined = 0;
    let failed = 0;
    for (const c of rollups.bySteps('type', stepMin, stepFrom, stepTo)) {
      if (c.key === 'payment.authorized') authorized += c.n;
      else if (c.key === 'payment.declined') declined += c.n;
      else if (c.key === 'payment.failed') failed += c.n;
      else continue;
      const s = attempts.get(c.t) ?? { a: 0, d: 0, f: 0 };
      if (c.key === 'payment.authorized') s.a += c.n;
      else if (c.key === 'payment.declined') s.d += c.n;
      else s.f += c.n;
      attempts.set(c.t, s);
    }
    const typesOutside = outside('type');
    authorized -= countOf(typesOutside, 'payment.authorized');
    declined -= countOf(typesOutside, 'payment.declined');
    failed -= countOf(typesOutside, 'payment.failed');
    const approvalRate: SeriesPoint[] = [];
    const declineRate: SeriesPoint[] = [];
    const attemptPoints: SeriesPoint[] = [];
    for (const [t, s] of [...attempts].sort((x, y) => x[0] - y[0])) {
      const n = s.a + s.d + s.f;
      if (n === 0) continue;
      approvalRate.push([at(t), s.a / n]);
      declineRate.push([at(t), s.d / n]);
      attemptPoints.push([at(t), n]);
    }

    // Per payment (retries of a paymentId once, at the payment's first attempt): paymentOutcomes.ts.
    const payments = new Map<number, { started: number; approved: number }>();
    let paymentsStarted = 0;
    let paymentsApproved = 0;
    for (const c of rollups.bySteps('payment', stepMin, stepFrom, stepTo)) {
      const p = payments.get(c.t) ?? { started: 0, approved: 0 };
      if (c.key === 'started') {
        p.started += c.n;
        paymentsStarted += c.n;
      } else if (c.key === 'approved') {
        p.approved += c.n;
        paymentsApproved += c.n;
      }
      payments.set(c.t, p);
    }
    const paymentsOutside = outside('payment');
    paymentsStarted -= countOf(paymentsOutside, 'started');
    paymentsApproved -= countOf(paymentsOutside, 'approved');
    const paymentApprovalRate: SeriesPoint[] = [];
    for (const [t, p] of [...payments].sort((x, y) => x[0] - y[0])) if (p.started > 0) paymentApprovalRate.push([at(t), Math.min(1, p.approved / p.started)]);

    const histograms = new Map<number, Map<number, number>>();
    // Latency percentiles come from histograms (~50 buckets a step): read at a step that gives at
    // most the points a chart draws, summed by SQLite, rather than every step then thinned
    // (on 7 days, 54,000 rows read into objects were half of this call). A whole multiple of
    // the step keeps it aligned and on whole ten-minute rollups.
    const latencyFrom = Math.floor(fromMin / latencyStepMin) * latencyStepMin;
    const latencyTo = Math.ceil(toMin / latencyStepMin) * latencyStepMin;
    for (const c of rollups.bySteps('latency', latencyStepMin, latencyFrom, latencyTo)) {
      let h = histograms.get(c.t);
      if (!h) histograms.set(c.t, (h = new Map()));
      h.set(Number(c.key), (h.get(Number(c.key)) ?? 0) + c.n);
    }
    const latencyP50: SeriesPoint[] = [];
    const latencyP95: SeriesPoint[] = [];
    const latencyP99: SeriesPoint[] = [];
    for (const [t, h] of [...histograms].sort((x, y) => x[0] - y[0])) {
      latencyP50.push([at(t), histogramQuantile(h, 0.5) ?? 0]);
      latencyP95.push([at(t), histogramQuantile(h, 0.95) ?? 0]);
      latencyP99.push([at(t), histogramQuantile(h, 0.99) ?? 0]);
    }
    const whole = new Map<number, number>();
    for (const h of histograms.values()) for (const [bucket, n] of h) whole.set(bucket, (whole.get(bucket) ?? 0) + n);
    for (const c of outside('latency', latencyFrom, latencyTo)) whole.set(Number(c.key), (whole.get(Number(c.key)) ?? 0) - c.n);

    const volume = new Map<string, CurrencyVolumeSeries>();
    const volumeOf = (currency: string) => {
      let v = volume.get(currency);
      if (!v) {
        v = { currency, authorized: [], declined: [], authorizedMinor: 0, declinedMinor: 0, authorizedCount: 0, declinedCount: 0 };
        volume.set(currency, v);
      }
      return v;
    };
    for (const side of ['authorized', 'declined'] as const) {
      for (const c of rollups.bySteps(side, stepMin, stepFrom, stepTo)) {
        const v = volumeOf(c.key);
        v[side].push([at(c.t), c.a / minorPerMajor(c.key)]);
        if (side === 'authorized') {
          v.authorizedMinor += c.a;
          v.authorizedCount += c.n;
        } else {
          v.declinedMinor += c.a;
          v.declinedCount += c.n;
        }
      }
      for (const c of outside(side)) {
        const v = volumeOf(c.key);
        if (side === 'authorized') {
          v.authorizedMinor -= c.a;
          v.authorizedCount -= c.n;
        } else {
          v.declinedMinor -= c.a;
          v.declinedCount -= c.n;
        }
      }
    }

    const decisions = new Map<string, { decision: string; points: SeriesPoint[]; total: number }>();
    for (const c of rollups.bySteps('decision', stepMin, stepFrom, stepTo)) {
      let d = decisions.get(c.key);
      if (!d) decisions.set(c.key, (d = { decision: c.key, points: [], total: 0 }));
      d.points.push([at(c.t), c.n]);
      d.total += c.n;
    }
    for (const c of outside('decision')) {
      const d = decisions.get(c.key);
      if (d) d.total -= c.n;
    }

    const allDeclineCodes = rollups
      .totals('decline', fromMin, toMin)
      .filter((r) => r.n > 0)
      .map((r) => ({ code: r.key, count: r.n }))
      .sort((x, y) => y.count - x.count || x.code.localeCompare(y.code));
    const declineCodes = allDeclineCodes.slice(0, TOP_DECLINE_CODES);
    const leftOut = allDeclineCodes.slice(TOP_DECLINE_CODES);

    return {
      fromMs: drawAt(fromMin * MINUTE_MS),
      toMs: drawAt(toMin * MINUTE_MS),
      approvalRate: bound(approvalRate),
      paymentApprovalRate: bound(paymentApprovalRate),
      declineRate: bound(declineRate),
      latencyP50: bound(latencyP50, latencyStepMin * MINUTE_MS),
      latencyP95: bound(latencyP95, latencyStepMin * MINUTE_MS),
      latencyP99: bound(latencyP99, latencyStepMin * MINUTE_MS),
      attempts: bound(attemptPoints),
      volume: [...volume.values()]
        .sort((x, y) => y.authorizedCount + y.declinedCount - (x.authorizedCount + x.declinedCount) || x.currency.localeCompare(y.currency))
        .map((v) => ({ ...v, authorized: bound(v.authorized), declined: bound(v.declined) })),
      decisions: [...decisions.values()].sort((x, y) => x.decision.localeCompare(y.decision)).map((d) => ({ ...d, points: bound(d.points) })),
      declineCodes,
      declineCodesLeftOut: { codes: leftOut.length, count: leftOut.reduce((n, c) => n + c.count, 0) },
      totals: {
        authorized,
        declined,
        failed,
        payments: paymentsStarted,
        approvedPayments: paymentsApproved,
        latencyP50: histogramQuantile(whole, 0.5),
        latencyP95: histogramQuantile(whole, 0.95),
        latencyP99: histogramQuantile(whole, 0.99),
      },
    };
  }
}

/** How a window's line (points at its steps' starts, `stepMs` apart) is drawn. */
type SeriesDrawing = (points: SeriesPoint[], stepMs: number) => SeriesPoint[];

/**
 * A compare window's lines drawn onto the shown window [fromMs, toMs): at each of its steps, the
 * compare step holding the same local clock time days back (`back`). Drawing each compare step
 * forward instead put both passes of an hour the clock repeats (the last Sunday of October in
 * Europe/Berlin, a day back) on the same times, the line going back an hour, and left the
 * repeated hour of the shown day without a compare line. So a shown day's repeated hour shows
 * the one hour back twice, and a compare day's repeated hour is drawn once, at the pass on the
 * shown day's offset (after the change, the second: its totals count both).
 */
function compareDrawing(fromMs: number, toMs: number, back: (ms: number) => number): SeriesDrawing {
  const backOf = new Map<number, number>();
  return (points, stepMs) => {
    if (points.length === 0) return points;
    const valueAt = new Map(points);
    const out: SeriesPoint[] = [];
    for (let t = Math.floor(fromMs / stepMs) * stepMs; t < toMs; t += stepMs) {
      let b = backOf.get(t);
      if (b === undefined) backOf.set(t, (b = back(t)));
      const v = valueAt.get(Math.floor(b / stepMs) * stepMs);
      if (v !== undefined) out.push([t, v]);
    }
    return out;
  };
}

function emptyWindow(fromMin: number, toMin: number, drawAt: (ms: number) => number): DashboardWindow {
  return {
    fromMs: drawAt(fromMin * MINUTE_MS),
    toMs: drawAt(toMin * MINUTE_MS),
    approvalRate: [],
    paymentApprovalRate: [],
    declineRate: [],
    latencyP50: [],
    latencyP95: [],
    latencyP99: [],
    attempts: [],
    volume: [],
    decisions: [],
    declineCodes: [],
    declineCodesLeftOut: { codes: 0, count: 0 },
    totals: { authorized: 0, declined: 0, failed: 0, payments: 0, approvedPayments: 0, latencyP50: null, latencyP95: null, latencyP99: null },
  };
}
