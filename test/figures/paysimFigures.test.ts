// The PaySim demo capture (39,509 events, 3,247 merchants, 30 days; its first 5.5 days by default) stored through the real
// decoder and writer: stats and the dashboard against figures computed here from the capture's
// own lines; and the dashboard's reads, which must not depend on how many merchants there are
// (3,000 by default, 10,000 under PAYOPS_LONG).
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DashboardService } from '../../electron/core/dashboard/dashboardService';
import { openDatabase } from '../../electron/core/store/database';
import { storeOn } from '../../electron/core/store/store';
import { DEMO_CAPTURE, loadDemoCapture, storeEvents } from '../support/explorerTestKit';
import { tempDir } from '../support/tempDir';

const dir = tempDir('payops-paysim-figures-');

interface Line {
  type: string;
  time: string;
  data: { paymentId: string; merchantId: string; amount?: number; currency?: string };
}
// Its first 8,000 lines (5.5 days, 687 merchants) keep the suite fast; PAYOPS_LONG=1 stores it all.
const LONG = Boolean(process.env.PAYOPS_LONG);
const lines = gunzipSync(fs.readFileSync(DEMO_CAPTURE))
  .toString('utf8')
  .trim()
  .split('\n')
  .slice(0, LONG ? undefined : 8000)
  .map((l) => JSON.parse(l) as Line);
const ATTEMPTS = new Set(['payment.authorized', 'payment.declined', 'payment.failed']);

/** Counts, authorized minor units per currency and payments started (first attempt) in [from, to). */
function fromLines(fromMs: number, toMs: number) {
  const byType: Record<string, number> = {};
  const authorizedMinor: Record<string, bigint> = {};
  const starts = new Map<string, { start: number; approved: boolean }>();
  for (const e of lines) {
    const t = Date.parse(e.time);
    if (ATTEMPTS.has(e.type)) {
      const p = starts.get(e.data.paymentId) ?? { start: t, approved: false };
      p.start = Math.min(p.start, t);
      p.approved ||= e.type === 'payment.authorized';
      starts.set(e.data.paymentId, p);
    }
    if (t < fromMs || t >= toMs) continue;
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    if (e.type === 'payment.authorized') authorizedMinor[e.data.currency!] = (authorizedMinor[e.data.currency!] ?? 0n) + BigInt(e.data.amount!);
  }
  const started = [...starts.values()].filter((p) => p.start >= fromMs && p.start < toMs);
  return { byType, authorizedMinor, payments: started.length, approvedPayments: started.filter((p) => p.approved).length };
}

describe('PaySim at its own cardinality', () => {
  const db = openDatabase(path.join(dir, 'paysim.db'));
  const loaded = loadDemoCapture(db, lines.length);
  const store = storeOn(db);

  it('stats: every event by type, authorized minor units exact, the time range', async () => {
    expect(await loaded).toBe(lines.length);
    expect(new Set(lines.map((l) => l.data.merchantId)).size).toBeGreaterThan(LONG ? 3000 : 650);
    const want = fromLines(-Infinity, Infinity);
    const stats = store.stats();
    expect(stats.events).toBe(lines.length);
    expect(stats.byType).toEqual(want.byType);
    expect(stats.authorizedAmountByCurrency).toEqual(Object.fromEntries(Object.entries(want.authorizedMinor).map(([c, v]) => [c, Number(v)])));
    const times = lines.map((l) => Date.parse(l.time));
    expect(stats.firstEventTime).toBe(new Date(Math.min(...times)).toISOString());
    expect(stats.lastEventTime).toBe(new Date(Math.max(...times)).toISOString());
  });

  it('dashboard: a 7-day range and a day, against the capture', async () => {
    await loaded;
    const dash = new DashboardService(store);
    const day = 86_400_000;
    const from = Date.UTC(2026, 10, LONG ? 9 : 2, 0, 0);
    for (const [fromMs, toMs] of [[from, from + 7 * day], [from + day + 13 * 60_000, from + 2 * day + 13 * 60_000]]) {
      const s = dash.series({ fromMs, toMs, compare: 'none' });
      const want = fromLines(fromMs, toMs);
      expect(s.totals).toMatchObject({
        authorized: want.byType['payment.authorized'] ?? 0,
        declined: want.byType['payment.declined'] ?? 0,
        failed: want.byType['payment.failed'] ?? 0,
        payments: want.payments,
        approvedPayments: want.approvedPayments,
      });
      expect(Object.fromEntries(s.volume.map((v) => [v.currency, v.authorizedMinor]))).toEqual(
        Object.fromEntries(Object.entries(want.authorizedMinor).map(([c, v]) => [c, Number(v)])),
      );
    }
  });
});

/** Rows the statements of `db` return while `fn` runs, and how many statements ran. */
function readsDuring(db: Database, fn: () => void): { statements: number; rows: number } {
  const prepare = db.prepare.bind(db);
  const counts = { statements: 0, rows: 0 };
  const counted = ((sql: string) => {
    const stmt = prepare(sql);
    const all = stmt.all.bind(stmt);
    const get = stmt.get.bind(stmt);
    return Object.assign(stmt, {
      all: (...args: unknown[]) => {
        counts.statements += 1;
        const rows = all(...args);
        counts.rows += rows.length;
        return rows;
      },
      get: (...args: unknown[]) => {
        counts.statements += 1;
        const row = get(...args);
        counts.rows += row === undefined ? 0 : 1;
        return row;
      },
    });
  }) as Database['prepare'];
  db.prepare = counted;
  try {
    fn();
  } finally {
    db.prepare = prepare;
  }
  return counts;
}

describe('the dashboard reads the same rows for thousands of merchants as for one', () => {
  const MERCHANTS = LONG ? 10_000 : 3000;
  const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
  const events = (merchantOf: (i: number) => string) =>
    Array.from({ length: MERCHANTS }, (_, i) => ({
      specversion: '1.0', id: `mc-${i}`, source: 'psp/authorizer', type: i % 7 === 0 ? 'payment.declined' : 'payment.authorized',
      time: new Date(T0 + Math.floor((i * 6 * 3_600_000) / MERCHANTS)).toISOString(),
      data: { paymentId: `pay-${i}`, merchantId: merchantOf(i), amount: 1000 + i, currency: i % 3 === 0 ? 'KWD' : 'JPY', declineCode: '05' },
    }));

  it('same statements, same rows, same figures', () => {
    const reads = [(i: number) => `m_${i}`, () => 'm_1'].map((merchantOf, k) => {
      const db = openDatabase(path.join(dir, `merchants-${k}.db`));
      storeEvents(db, events(merchantOf));
      const dash = new DashboardService(storeOn(db));
      let series: unknown;
      const counts = readsDuring(db, () => (series = dash.series({ fromMs: T0 - 3_600_000, toMs: T0 + 3 * 3_600_000, compare: 'none' })));
      db.close();
      return { counts, series };
    });
    expect(reads[0].counts.statements).toBeGreaterThan(0);
    expect(reads[0].counts).toEqual(reads[1].counts);
    expect(reads[0].series).toEqual(reads[1].series);
    expect(reads[0].counts.rows).toBeLessThan(2000);
  });
});
