import type Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertHistoryStore } from '../alerts/alertHistoryStore';
import { loadDemoCapture, storeEvents } from '../../../test/support/explorerTestKit';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { migration010 } from '../store/migrations/010_alerts';
import { tempDir } from '../../../test/support/tempDir';
import { buildReport, resolveWindow, windowFigures } from './reportData';

const dir = tempDir('payops-report-');
let db: Database.Database;
let store: Store;
const BASE = Date.UTC(2026, 10, 23, 5, 0, 0);

/** Many events per second, ties on the same millisecond, several currencies and codes. */
function crowded(n: number): Record<string, unknown>[] {
  const types = ['payment.authorized', 'payment.declined', 'payment.failed', 'risk.scored', 'risk.blocked', 'payment.captured', 'ops.unknown'];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const type = types[(i * 7 + (i >> 3)) % types.length];
    const time = new Date(BASE + ((i * 137) % 20_000)).toISOString();
    const merchantId = `m_${(i * 13) % 9}`;
    if (type.startsWith('risk.')) out.push({ specversion: '1.0', id: `c-${i}`, source: 'risk/engine', type, time, data: { paymentId: `p${i % 500}`, merchantId, score: i % 100, decision: type === 'risk.blocked' ? 'block' : ['approve', 'review'][i % 2] } });
    else if (type.startsWith('payment.'))
      out.push({
        specversion: '1.0', id: `c-${i}`, source: 'psp', type, time,
        data: { paymentId: `p${i % 500}`, merchantId, amount: (i * 31) % 10_000, currency: ['EUR', 'USD', 'GBP'][i % 3], country: ['DE', 'FR', 'PL', 'US'][i % 4], cardBin: ['424242', '510510', '411111'][i % 3], ...(type === 'payment.declined' ? { declineCode: ['51', '05', '14', '54'][i % 4] } : {}) },
      });
    else out.push({ specversion: '1.0', id: `c-${i}`, source: 'ops', type, time });
  }
  return out;
}

beforeAll(async () => {
  db = openDatabase(path.join(dir, 'report.db'));
  migration010.up(db);
  await loadDemoCapture(db);
  storeEvents(db, crowded(6000));
  store = storeOn(db);
  new AlertHistoryStore(store).saveInstances([
    {
      key: 'decline-rate|merchant=m_3|1', rule: 'decline-rate', severity: 'critical', labels: { merchant: 'm_3' }, group: 'merchant=m_3', state: 'resolved',
      summary: 'decline rate 40% over 5m', value: 0.1, peakValue: 0.4, activeSince: BASE + 2000, firedAt: BASE + 4000, resolvedAt: BASE + 12_000, endedAt: null,
      silenced: false, acknowledged: { by: 'ana', note: 'looking at issuer 51s', at: BASE + 5000 }, resolveNote: { by: 'ana', note: 'issuer fixed', at: BASE + 13_000 },
      transitions: [{ state: 'pending', at: BASE + 2000 }, { state: 'firing', at: BASE + 4000 }, { state: 'resolved', at: BASE + 12_000 }],
    },
  ]);
});
afterAll(() => db?.close());

function sqlFigures(from: number, to: number) {
  const byType: Record<string, number> = {};
  let events = 0;
  for (const r of db.prepare('SELECT type, COUNT(*) n FROM events WHERE time_ms >= ? AND time_ms < ? GROUP BY type ORDER BY type').all(from, to) as { type: string; n: number }[]) {
    byType[r.type] = r.n;
    events += r.n;
  }
  const authorizedAmountByCurrency: Record<string, number> = {};
  for (const r of db
    .prepare("SELECT COALESCE(currency, '') c, SUM(amount) a FROM events WHERE type = 'payment.authorized' AND time_ms >= ? AND time_ms < ? GROUP BY 1 ORDER BY 1")
    .all(from, to) as { c: string; a: number }[])
    authorizedAmountByCurrency[r.c] = r.a;
  const auth = byType['payment.authorized'] ?? 0;
  const decl = byType['payment.declined'] ?? 0;
  const top = (col: string) =>
    db
      .prepare(`SELECT ${col} k, COUNT(*) events, SUM(type = 'payment.declined') declines FROM events WHERE time_ms >= ? AND time_ms < ? AND ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`)
      .all(from, to) as { k: string; events: number; declines: number }[];
  return {
    events,
    byType,
    authorizedAmountByCurrency,
    approvalRate: auth + decl ? auth / (auth + decl) : null,
    declineRate: auth + decl ? decl / (auth + decl) : null,
    topMerchants: top('merchant_id').map((r) => ({ merchantId: r.k, events: r.events, declines: r.declines })),
    topCountries: top('country').map((r) => ({ country: r.k, events: r.events, declines: r.declines })),
    topCardBins: top('card_bin').map((r) => ({ cardBin: r.k, events: r.events, declines: r.declines })),
    topDeclineCodes: (
      db
        .prepare("SELECT COALESCE(decline_code, 'unknown') k, COUNT(*) n FROM events WHERE type = 'payment.declined' AND time_ms >= ? AND time_ms < ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10")
        .all(from, to) as { k: string; n: number }[]
    ).map((r) => ({ declineCode: r.k, events: r.n })),
  };
}

function check(from: number, to: number) {
  const r = buildReport(store, { from, to, mask: false, sampleSize: 5 });
  const s = sqlFigures(from, to);
  expect(r.window).toMatchObject({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  expect(r.totals.events).toBe(s.events);
  expect(r.totals.byType).toEqual(s.byType);
  expect(r.totals.authorizedAmountByCurrency).toEqual(s.authorizedAmountByCurrency);
  expect(r.totals.approvalRate).toBe(s.approvalRate);
  expect(r.totals.declineRate).toBe(s.declineRate);
  expect(r.topMerchants).toEqual(s.topMerchants);
  expect(r.topCountries).toEqual(s.topCountries);
  expect(r.topCardBins).toEqual(s.topCardBins);
  expect(r.topDeclineCodes).toEqual(s.topDeclineCodes);
  const p = sqlFigures(from - (to - from), from);
  expect(r.previous.totals.events).toBe(p.events);
  expect(r.previous.totals.byType).toEqual(p.byType);
  expect(r.previous.totals.authorizedAmountByCurrency).toEqual(p.authorizedAmountByCurrency);
  return r;
}

describe('report figures equal plain SQL over the stored events', () => {
  it('fixed windows: whole data, a busy minute, cuts through seconds, a sub-second window, empty windows', () => {
    const all = db.prepare('SELECT MIN(time_ms) a, MAX(time_ms) b FROM events').get() as { a: number; b: number };
    const whole = check(all.a, all.b + 1);
    expect(whole.totals.events).toBe(39_509 + 6000);
    check(BASE, BASE + 60_000);
    check(BASE + 1234, BASE + 17_891); // cuts through a second at both ends
    check(BASE + 1_999, BASE + 2_001); // across one second boundary
    check(BASE + 5_100, BASE + 5_900); // inside one second
    check(BASE + 137, BASE + 138); // one millisecond (ties)
    const empty = check(Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 2));
    expect(empty.totals).toMatchObject({ events: 0, approvalRate: null, declineRate: null, byType: {} });
    expect(empty.topMerchants).toEqual([]);
    check(Date.UTC(2026, 10, 10, 3, 17, 12, 345), Date.UTC(2026, 10, 11, 9, 1, 2, 3));
  });

  it('random windows, including ones that cut through seconds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: BASE - 30_000, max: BASE + 25_000 }), fc.integer({ min: 1, max: 40_000 }), (from, span) => {
        check(from, from + span);
      }),
      { numRuns: 60 },
    );
    const demoFrom = Date.UTC(2026, 10, 2);
    fc.assert(
      fc.property(fc.integer({ min: demoFrom, max: demoFrom + 30 * 86_400_000 }), fc.integer({ min: 1, max: 3 * 86_400_000 }), (from, span) => {
        check(from, from + span);
      }),
      { numRuns: 25 },
    );
  });

  it('windowFigures of adjacent windows add up to the figures of their union', () => {
    const a = windowFigures(store, BASE, BASE + 7_777);
    const b = windowFigures(store, BASE + 7_777, BASE + 20_001);
    const u = windowFigures(store, BASE, BASE + 20_001);
    expect(a.events + b.events).toBe(u.events);
    expect(a.declined + b.declined).toBe(u.declined);
  });

  it('an alert gives the window (margin before firing to margin after resolving) and its timeline', () => {
    const w = resolveWindow(store, { alertKey: 'decline-rate|merchant=m_3|1', marginMinutes: 1 });
    expect(w.from).toBe(BASE + 4000 - 60_000);
    expect(w.to).toBe(BASE + 12_000 + 60_000);
    const r = buildReport(store, { alertKey: 'decline-rate|merchant=m_3|1', marginMinutes: 1 });
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0].acknowledged).toMatchObject({ by: 'ana', note: 'looking at issuer 51s' });
    expect(r.alerts[0].transitions.map((t) => t.state)).toEqual(['pending', 'firing', 'resolved']);
    expect(r.title).toMatch(/decline-rate/);
    expect(() => resolveWindow(store, { alertKey: 'nope' })).toThrow(/no alert/);
    expect(() => resolveWindow(store, { from: 10, to: 10 })).toThrow(/empty/);
  });

  it('masks card BINs and customer ids by default, and not with mask: false', () => {
    const from = Date.UTC(2026, 10, 2);
    const to = Date.UTC(2026, 11, 3);
    const masked = buildReport(store, { from: BASE, to: BASE + 20_000 });
    expect(masked.masked).toBe(true);
    expect(masked.topCardBins.every((b) => /^\d\d\*\*\*\*$/.test(b.cardBin))).toBe(true);
    const demo = buildReport(store, { from, to, sampleSize: 40 });
    const text = JSON.stringify(demo.sampleEvents);
    expect(text).not.toMatch(/"customerId":"C\d+"/);
    expect(text).toMatch(/"customerId":"\*\*\*"/);
    const open = buildReport(store, { from, to, mask: false, sampleSize: 40 });
    expect(JSON.stringify(open.sampleEvents)).toMatch(/"customerId":"C\d+"/);
    const extra = buildReport(store, { from: BASE, to: BASE + 20_000, maskFields: ['merchantId'] });
    expect(extra.topMerchants.every((m) => m.merchantId.startsWith('#'))).toBe(true);
    expect(extra.topMerchants.map((m) => m.events)).toEqual(buildReport(store, { from: BASE, to: BASE + 20_000 }).topMerchants.map((m) => m.events));
  });

  it('series are bounded and add up to the window', () => {
    const r = buildReport(store, { from: Date.UTC(2026, 10, 2), to: Date.UTC(2026, 11, 3) });
    expect(r.series.throughput.length).toBeLessThanOrEqual(130);
    const sum = r.series.throughput.reduce((s, p) => s + Object.values(p.values).reduce((a, b) => a + b, 0) * (r.series.bucketMs / 1000), 0);
    expect(Math.round(sum)).toBe(r.totals.events);
  });
});
