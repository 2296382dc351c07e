// Test support: what the stored events say about a window of event time, by plain SQL over
// the `events` view (never a rollup), and checks that the dashboard's figures equal it. Also the
// rollup tables against each other and against the events, cell by cell.
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { DashboardSeries } from '../../shared/dashboardApi';
import { bucketValue, latencyBucket } from '../../shared/latencyHistogram';
import { openDatabase } from '../../electron/core/store/database';
import { EventWriter, type BatchOutcome } from '../../electron/core/store/eventWriter';
import { storeInArrivalOrder, type Sent } from './storeSent';

export { storeInArrivalOrder, type Sent };

const ATTEMPTS = `('payment.authorized', 'payment.declined', 'payment.failed')`;

export interface SqlWindow {
  byType: Record<string, number>;
  authorized: number;
  declined: number;
  failed: number;
  payments: number;
  approvedPayments: number;
  /** currency -> [minor units, count], by side. */
  authorizedMinor: Record<string, [number, number]>;
  declinedMinor: Record<string, [number, number]>;
  declineCodes: Record<string, number>;
  decisions: Record<string, number>;
  /** The attempts' latencies, sorted. */
  latencies: number[];
}

/**
 * The stored events' columns that figures need, copied once per database into temporary tables
 * (`truth_events`, and `truth_payments`: each payment's first attempt and whether any attempt
 * was approved) with an index on time, so a window costs a range read. Plain SQL over the
 * `events` view; no rollup is read.
 */
function truthTables(db: Database): void {
  if (prepared.has(db)) return;
  db.exec(`
    DROP TABLE IF EXISTS temp.truth_events;
    DROP TABLE IF EXISTS temp.truth_payments;
    CREATE TEMP TABLE truth_events AS
      SELECT seq, time_ms, type, currency, amount, decline_code, decision, payment_id, CAST(latency_ms AS REAL) AS latency FROM events;
    CREATE INDEX temp.truth_events_time ON truth_events(time_ms);
    CREATE TEMP TABLE truth_payments AS
      SELECT MIN(time_ms) AS start, MAX(type = 'payment.authorized') AS ok FROM truth_events
      WHERE type IN ${ATTEMPTS} GROUP BY COALESCE(payment_id, 'seq:' || seq);
    CREATE INDEX temp.truth_payments_start ON truth_payments(start);
  `);
  prepared.add(db);
}
const prepared = new WeakSet<Database>();

/** The figures of [fromMs, toMs) from the stored events alone. */
export function sqlWindow(db: Database, fromMs: number, toMs: number): SqlWindow {
  truthTables(db);
  const rows = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(fromMs, toMs, ...args) as T[];
  const byType: Record<string, number> = {};
  for (const r of rows<{ type: string; n: number }>(`SELECT type, COUNT(*) AS n FROM truth_events WHERE time_ms >= ? AND time_ms < ? GROUP BY type`)) byType[r.type] = r.n;
  const sums = (type: string) => {
    const out: Record<string, [number, number]> = {};
    for (const r of rows<{ currency: string; a: number; n: number }>(
      `SELECT currency, SUM(amount) AS a, COUNT(*) AS n FROM truth_events WHERE time_ms >= ? AND time_ms < ? AND type = ? GROUP BY currency`,
      type,
    ))
      out[r.currency] = [r.a, r.n];
    return out;
  };
  const declineCodes: Record<string, number> = {};
  for (const r of rows<{ code: string; n: number }>(
    `SELECT COALESCE(NULLIF(decline_code, ''), 'unknown') AS code, COUNT(*) AS n FROM truth_events WHERE time_ms >= ? AND time_ms < ? AND type = 'payment.declined' GROUP BY code`,
  ))
    declineCodes[r.code] = r.n;
  const decisions: Record<string, number> = {};
  for (const r of rows<{ d: string; n: number }>(
    `SELECT COALESCE(decision, 'unknown') AS d, COUNT(*) AS n FROM truth_events WHERE time_ms >= ? AND time_ms < ? AND type = 'risk.scored' GROUP BY d`,
  ))
    decisions[r.d] = r.n;
  const latencies = rows<{ l: number }>(
    `SELECT latency AS l FROM truth_events WHERE time_ms >= ? AND time_ms < ? AND type IN ${ATTEMPTS} AND latency IS NOT NULL ORDER BY l`,
  ).map((r) => r.l);
  const p = db
    .prepare(`SELECT COUNT(*) AS payments, COALESCE(SUM(ok), 0) AS approved FROM truth_payments WHERE start >= ? AND start < ?`)
    .get(fromMs, toMs) as { payments: number; approved: number };
  return {
    byType,
    authorized: byType['payment.authorized'] ?? 0,
    declined: byType['payment.declined'] ?? 0,
    failed: byType['payment.failed'] ?? 0,
    payments: p.payments,
    approvedPayments: p.approved,
    authorizedMinor: sums('payment.authorized'),
    declinedMinor: sums('payment.declined'),
    declineCodes,
    decisions,
    latencies,
  };
}

/** What a histogram percentile (nearest rank, drawn at its bucket's middle) reads for these sorted latencies. */
export function bucketedQuantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const exact = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
  return bucketValue(latencyBucket(exact)!);
}

/** The dashboard's window totals against the events: counts, payments, minor units per currency, codes, decisions, latency. */
export function expectTotalsMatch(s: DashboardSeries, want: SqlWindow, label: string): void {
  expect(s.totals, label).toEqual({
    authorized: want.authorized,
    declined: want.declined,
    failed: want.failed,
    payments: want.payments,
    approvedPayments: want.approvedPayments,
    latencyP50: bucketedQuantile(want.latencies, 0.5),
    latencyP95: bucketedQuantile(want.latencies, 0.95),
    latencyP99: bucketedQuantile(want.latencies, 0.99),
  });
  const volume = (side: 'authorized' | 'declined') =>
    Object.fromEntries(
      s.volume
        .map((v) => [v.currency, [side === 'authorized' ? v.authorizedMinor : v.declinedMinor, side === 'authorized' ? v.authorizedCount : v.declinedCount]] as const)
        .filter(([, [a, n]]) => a !== 0 || n !== 0),
    );
  expect(volume('authorized'), `${label}: authorized minor units`).toEqual(want.authorizedMinor);
  expect(volume('declined'), `${label}: declined minor units`).toEqual(want.declinedMinor);
  const allCodes = Object.entries(want.declineCodes)
    .map(([code, count]) => ({ code, count }))
    .sort((x, y) => y.count - x.count || x.code.localeCompare(y.code));
  expect(s.declineCodes, `${label}: decline codes`).toEqual(allCodes.slice(0, 10));
  const leftOut = allCodes.slice(10);
  expect(s.declineCodesLeftOut, `${label}: decline codes left out`).toEqual({ codes: leftOut.length, count: leftOut.reduce((n, c) => n + c.count, 0) });
  expect(Object.fromEntries(s.decisions.map((d) => [d.decision, d.total]).filter(([, n]) => n !== 0)), `${label}: decisions`).toEqual(want.decisions);
}

/** Every drawn point of the step series against the events of its whole step. */
export function expectStepsMatch(db: Database, s: DashboardSeries, label: string): void {
  const step = s.stepMs;
  const cache = new Map<number, SqlWindow>();
  const at = (t: number) => cache.get(t) ?? cache.set(t, sqlWindow(db, t, t + step)).get(t)!;
  for (const [t, v] of s.attempts) {
    const w = at(t);
    expect(v, `${label}: attempts at ${t}`).toBe(w.authorized + w.declined + w.failed);
  }
  for (const [t, v] of s.approvalRate) {
    const w = at(t);
    expect(v, `${label}: approval at ${t}`).toBeCloseTo(w.authorized / (w.authorized + w.declined + w.failed), 12);
  }
  for (const [t, v] of s.declineRate) {
    const w = at(t);
    expect(v, `${label}: decline rate at ${t}`).toBeCloseTo(w.declined / (w.authorized + w.declined + w.failed), 12);
  }
  for (const [t, v] of s.paymentApprovalRate) {
    const w = at(t);
    expect(v, `${label}: approval per payment at ${t}`).toBeCloseTo(w.approvedPayments / w.payments, 12);
  }
  // Every step with attempts is drawn (until the line is thinned).
  if (s.attempts.length < 300) {
    const drawn = new Set(s.attempts.map(([t]) => t));
    const want = db
      .prepare(
        `SELECT DISTINCT (time_ms - (((time_ms % ?) + ?) % ?)) AS t FROM truth_events WHERE type IN ${ATTEMPTS} AND time_ms >= ? AND time_ms < ?`,
      )
      .all(step, step, step, Math.floor(s.fromMs / step) * step, Math.ceil(s.toMs / step) * step) as { t: number }[];
    expect([...drawn].sort((a, b) => a - b), `${label}: steps drawn`).toEqual(want.map((r) => r.t).sort((a, b) => a - b));
  }
  for (const v of s.volume) {
    for (const side of ['authorized', 'declined'] as const) {
      for (const [t, major] of v[side]) {
        const cell = (side === 'authorized' ? at(t).authorizedMinor : at(t).declinedMinor)[v.currency] ?? [0, 0];
        expect(major, `${label}: ${side} ${v.currency} at ${t}`).toBe(cell[0] / 10 ** minorDigits(v.currency));
      }
    }
  }
  for (const d of s.decisions) for (const [t, n] of d.points) expect(n, `${label}: ${d.decision} at ${t}`).toBe(at(t).decisions[d.decision] ?? 0);
}

/** ISO 4217 exponents written out here (not shared/currencies.ts), so a wrong table cannot agree with itself. */
const EXPONENT: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, KWD: 3, BHD: 3, JOD: 3, EUR: 2, USD: 2, CLF: 4 };
function minorDigits(currency: string): number {
  const d = EXPONENT[currency];
  if (d === undefined) throw new Error(`no exponent written for ${currency}`);
  return d;
}

/**
 * Rows of the rollup tables that disagree: the ten-minute rollups against the minute rollups
 * summed per bucket (floor: minutes before 1970 too), the minute rollups of type against the
 * events, and the per-second rollups of type against the events. Empty when all agree.
 */
export function rollupDisagreements(db: Database): { what: string; rows: unknown[] }[] {
  const out: { what: string; rows: unknown[] }[] = [];
  const diff = (what: string, a: string, b: string) => {
    const rows = db.prepare(`SELECT * FROM (SELECT * FROM (${a}) EXCEPT SELECT * FROM (${b})) UNION ALL SELECT * FROM (SELECT * FROM (${b}) EXCEPT SELECT * FROM (${a})) LIMIT 20`).all();
    if (rows.length) out.push({ what, rows });
  };
  const bucketOf = `(minute - (((minute % 10) + 10) % 10)) / 10`;
  const minuteOf = `(time_ms - (((time_ms % 60000) + 60000) % 60000)) / 60000`;
  const secOf = `(time_ms - (((time_ms % 1000) + 1000) % 1000)) / 1000`;
  const segmentSums = 'SUM(attempts), SUM(approvals), SUM(declines), SUM(failures), SUM(amount), SUM(approved_amount), SUM(payments)';
  const pairs: [what: string, a: string, b: string][] = [
    [
      'ten-minute rollups vs minutes summed',
      `SELECT dim, key, bucket, count, amount FROM rollup_ten_minute WHERE count != 0 OR amount != 0`,
      `SELECT dim, key, ${bucketOf} AS bucket, SUM(count) AS count, SUM(amount) AS amount FROM rollup_minute GROUP BY dim, key, bucket HAVING SUM(count) != 0 OR SUM(amount) != 0`,
    ],
    [
      'minute rollups of type vs events',
      `SELECT key, minute, count FROM rollup_minute WHERE dim = 'type' AND count != 0`,
      `SELECT type, ${minuteOf} AS minute, COUNT(*) FROM events GROUP BY type, minute`,
    ],
    [
      'minute rollups of authorized amounts vs events',
      `SELECT key, minute, count, amount FROM rollup_minute WHERE dim = 'authorized' AND count != 0`,
      `SELECT COALESCE(currency, ''), ${minuteOf} AS minute, COUNT(*), SUM(COALESCE(amount, 0)) FROM events WHERE type = 'payment.authorized' GROUP BY 1, minute`,
    ],
    [
      'second rollups of type vs events',
      `SELECT key, sec, count FROM rollup_second WHERE dim = 'type' AND count != 0`,
      `SELECT type, ${secOf} AS sec, COUNT(*) FROM events GROUP BY type, sec`,
    ],
    [
      'minute rollups of payments vs events',
      `SELECT key, minute, count FROM rollup_minute WHERE dim = 'payment' AND count != 0`,
      `WITH p AS (SELECT MIN(time_ms) AS start, MAX(type = 'payment.authorized') AS ok FROM events WHERE type IN ${ATTEMPTS} GROUP BY COALESCE(payment_id, 'seq:' || seq))
       SELECT 'started', (start - (((start % 60000) + 60000) % 60000)) / 60000 AS minute, COUNT(*) FROM p GROUP BY minute
       UNION ALL SELECT 'approved', (start - (((start % 60000) + 60000) % 60000)) / 60000 AS minute, COUNT(*) FROM p WHERE ok GROUP BY minute`,
    ],
    // A segment bucket is summed once it is 20 minutes behind the newest event: the buckets summed so far.
    [
      'segment ten-minute cells vs their minutes summed',
      `SELECT bucket, dim, value, ${segmentSums} FROM segment_ten_minute GROUP BY bucket, dim, value`,
      `SELECT ${bucketOf} AS bucket, dim, value, ${segmentSums} FROM segment_minute
       WHERE ${bucketOf} IN (SELECT bucket FROM segment_ten_minute) GROUP BY bucket, dim, value`,
    ],
  ];
  for (const [what, a, b] of pairs) diff(what, a, b);
  return out;
}

/**
 * Databases for property runs: each a copy of one migrated empty file (migrating each took
 * longer than the run's checks), written without fsync.
 */
export class FreshDatabases {
  private readonly template: string;
  private n = 0;

  constructor(private readonly dir: string) {
    this.template = path.join(dir, 'template.db');
    openDatabase(this.template).close();
  }

  /** Runs `fn` on a new database, closed after. */
  use<T>(fn: (db: Database) => T): T {
    const file = path.join(this.dir, `run-${++this.n}.db`);
    fs.copyFileSync(this.template, file);
    const db = openDatabase(file, { durability: 'normal' });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }
}

/**
 * Stores `sent` in arrival order with the writer restarted after `restartPercent` % of them (a
 * new engine on the same file: its payments remembered from the store); the batches' outcomes.
 */
export function storeWithRestart(db: Database, sent: readonly Sent[], batch: number, restartPercent: number): BatchOutcome[] {
  const ordered = [...sent].sort((a, b) => a.arrivalMs - b.arrivalMs);
  const split = Math.floor((ordered.length * restartPercent) / 100);
  return [...storeInArrivalOrder(db, ordered.slice(0, split), batch, new EventWriter(db)), ...storeInArrivalOrder(db, ordered.slice(split), batch, new EventWriter(db))];
}

/** Each drawn item sent once, and again `resendAfterMs` later when it says `resend` (a duplicate of its (source, id)). */
export function sentWithResends<T extends { resend: boolean }>(list: readonly T[], sendOf: (d: T) => Sent, resendAfterMs: number): Sent[] {
  return list.flatMap((d) => {
    const s = sendOf(d);
    return d.resend ? [s, { event: s.event, arrivalMs: s.arrivalMs + resendAfterMs }] : [s];
  });
}

/** The per-payment figures as SQL makes them from the stored attempts: payments, and those approved. */
export function distinctPayments(db: Database): { payments: number; approved: number } {
  return db
    .prepare(
      `SELECT COUNT(DISTINCT payment_id) AS payments, COUNT(DISTINCT CASE WHEN type = 'payment.authorized' THEN payment_id END) AS approved
       FROM event_log WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed')`,
    )
    .get() as { payments: number; approved: number };
}

/** The same figures as the writer's rollups hold them (all minutes). */
export function rolledUp(db: Database): { payments: number; approved: number } {
  const sum = (key: string) => db.prepare("SELECT COALESCE(SUM(count), 0) FROM rollup_minute WHERE dim = 'payment' AND key = ?").pluck().get(key) as number;
  return { payments: sum('started'), approved: sum('approved') };
}
