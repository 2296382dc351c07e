// `payops report` with the explorer's filter flags (the built CLI: `npm run build:core` first):
// the incident report of one merchant, issuer or decline code from the command line, its figures
// and its CSV holding only the matching events, checked against plain SQL over the stored events.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { lastJson, runPayops } from '../../../test/support/cli';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../../core/store/database';
import { storeOn } from '../../core/store/store';
import { buildReport } from '../../core/report/reportData';

const dir = tempDir('payops-report-filter-');
const dbFile = path.join(dir, 'several.db');
const BASE = Date.UTC(2026, 10, 23, 5, 0, 0);
const FROM = new Date(BASE).toISOString();
const TO = new Date(BASE + 15 * 60_000).toISOString();
const MERCHANTS = ['m_0', 'm_1', 'm_2'];
const ISSUERS = ['tamarind-card', 'north-bank', 'plum-credit'];
const CODES = ['05', '51', '91'];
const ATTEMPTS = "('payment.authorized', 'payment.declined', 'payment.failed')";
const TYPES = ['payment.authorized', 'payment.declined', 'payment.failed', 'risk.scored'];

/** Payments and risk scorings of several merchants, issuers and decline codes, spread over ten minutes. */
function severalMerchants(n: number): Record<string, unknown>[] {
  let seed = 7;
  const rnd = (k: number) => {
    // 32-bit arithmetic (a double product would lose the low bits), the high bits used.
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[rnd(TYPES.length)];
    const data: Record<string, unknown> = { paymentId: `pay_${rnd(500)}`, merchantId: MERCHANTS[rnd(MERCHANTS.length)], issuer: ISSUERS[rnd(ISSUERS.length)] };
    if (type.startsWith('payment.')) {
      Object.assign(data, {
        amount: 100 + rnd(9000),
        currency: rnd(4) === 0 ? 'JPY' : 'EUR',
        country: rnd(2) ? 'DE' : 'FR',
        cardBin: rnd(2) ? '529412' : '411111',
        ...(type === 'payment.declined' ? { declineCode: CODES[rnd(CODES.length)] } : {}),
      });
    } else Object.assign(data, { score: rnd(100), decision: ['approve', 'review', 'block'][rnd(3)] });
    out.push({ specversion: '1.0', id: `f-${i}`, source: 'psp/filter', type, time: new Date(BASE + rnd(600_000)).toISOString(), data });
  }
  return out;
}

beforeAll(() => {
  const db = openDatabase(dbFile);
  storeEvents(db, severalMerchants(3000));
  db.close();
});

/** Plain SQL over the stored events: `where` over the `events` view and its CloudEvent text. */
function sql<T>(query: string, ...args: unknown[]): T[] {
  const db = openDatabase(dbFile, { readonly: true });
  try {
    return db.prepare(query).all(Date.parse(FROM), Date.parse(TO), ...args) as T[];
  } finally {
    db.close();
  }
}

interface ReportJson {
  filter?: Record<string, unknown>;
  totals: { events: number; payments: number; approvedPayments: number; byType: Record<string, number>; authorizedAmountByCurrency: Record<string, number>; declined: number; declinesByCode: Record<string, number> };
  topMerchants: { merchantId: string; events: number; declines: number }[];
  generatedAt: string;
  tookMs: number;
}

describe('payops report with filter flags', () => {
  it('one merchant and one issuer: the figures count only their events (as SQL does), and the report says which filter it has', async () => {
    const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--merchant-id', 'm_1', '--issuer', 'north-bank', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = lastJson<ReportJson>(r.stdout);
    // The issuer is a payment dimension: the explorer matches it on payment events only.
    const where = "time_ms >= ? AND time_ms < ? AND merchant_id = ? AND category = 'payment' AND json_extract(json, '$.data.issuer') = ?";
    const byType = sql<{ type: string; n: number }>(`SELECT type, COUNT(*) n FROM events WHERE ${where} GROUP BY 1 ORDER BY 1`, 'm_1', 'north-bank');
    const sums = sql<{ currency: string; s: number }>(`SELECT currency, SUM(amount) s FROM events WHERE ${where} AND type = 'payment.authorized' GROUP BY 1 ORDER BY 1`, 'm_1', 'north-bank');
    const codes = sql<{ code: string; n: number }>(`SELECT decline_code code, COUNT(*) n FROM events WHERE ${where} AND type = 'payment.declined' GROUP BY 1 ORDER BY 1`, 'm_1', 'north-bank');
    const all = sql<{ n: number }>('SELECT COUNT(*) n FROM events WHERE time_ms >= ? AND time_ms < ?')[0].n;
    const total = byType.reduce((a, b) => a + b.n, 0);
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThan(all / 5);
    expect(j.totals.events).toBe(total);
    expect(j.totals.byType).toEqual(Object.fromEntries(byType.map((t) => [t.type, t.n])));
    expect(j.totals.authorizedAmountByCurrency).toEqual(Object.fromEntries(sums.map((s) => [s.currency, s.s])));
    expect(j.totals.declinesByCode).toEqual(Object.fromEntries(codes.map((c) => [c.code, c.n])));
    // Payments with a matching attempt, each judged on all its attempts (approved if any was), as the rollups judge one.
    const payments = sql<{ payments: number; approved: number }>(
      `WITH ids AS (SELECT DISTINCT payment_id FROM events WHERE ${where} AND type IN ${ATTEMPTS}),
       p AS (SELECT MAX(type = 'payment.authorized') ok FROM events WHERE payment_id IN ids AND type IN ${ATTEMPTS} GROUP BY payment_id)
       SELECT COUNT(*) payments, SUM(ok) approved FROM p`,
      'm_1', 'north-bank',
    )[0];
    expect(payments.payments).toBeGreaterThan(50);
    expect([j.totals.payments, j.totals.approvedPayments]).toEqual([payments.payments, payments.approved]);
    expect(j.topMerchants.map((m) => m.merchantId)).toEqual(['m_1']);
    expect(j.topMerchants[0].events).toBe(total);
    expect(j.filter).toEqual({ merchantId: 'm_1', issuer: 'north-bank' });

    const html = path.join(dir, 'm1.html');
    const h = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--merchant-id', 'm_1', '--issuer', 'north-bank', '--out', html]);
    expect(h.code, h.stderr).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/<header>[\s\S]*Filtered: only events matching merchant <bdi>m_1<\/bdi>, issuer <bdi>north-bank<\/bdi>[\s\S]*<\/header>/);
  });

  it('the CSV holds only the filtered events: one decline code, and types with an amount range', async () => {
    const out = path.join(dir, 'code05.csv');
    const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--decline-code', '05', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const ids = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[3]).sort();
    const expected = sql<{ id: string }>("SELECT id FROM events WHERE time_ms >= ? AND time_ms < ? AND decline_code = ? ORDER BY id", '05').map((e) => e.id).sort();
    expect(expected.length).toBeGreaterThan(20);
    expect(ids(out)).toEqual(expected);

    const ranged = path.join(dir, 'ranged.csv');
    const args = ['--type', 'payment.authorized', '--type', 'payment.failed', '--currency', 'eur', '--amount-min', '10.00', '--amount-max', '50.5'];
    const r2 = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, ...args, '--out', ranged]);
    expect(r2.code, r2.stderr).toBe(0);
    const inRange = sql<{ id: string }>(
      "SELECT id FROM events WHERE time_ms >= ? AND time_ms < ? AND type IN ('payment.authorized', 'payment.failed') AND currency = 'EUR' AND amount BETWEEN 1000 AND 5050",
    ).map((e) => e.id).sort();
    expect(inRange.length).toBeGreaterThan(20);
    expect(ids(ranged)).toEqual(inRange);
    const j = lastJson<ReportJson>((await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, ...args, '--json'])).stdout);
    expect(j.totals.events).toBe(inRange.length);
    expect(j.filter).toEqual({ types: ['payment.authorized', 'payment.failed'], currency: 'EUR', amountMin: 1000, amountMax: 5050 });
  });

  it('a masked field in the filter is masked in the report, as everywhere else in it', async () => {
    const masked = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--card-bin', '529412', '--json']);
    expect(masked.code, masked.stderr).toBe(0);
    const j = lastJson<ReportJson & { summary: string[] }>(masked.stdout);
    expect(j.filter).toEqual({ cardBin: '52****' });
    expect(j.summary[0]).toMatch(/^Filtered: only events matching BIN 52\*\*\*\*;/);
    expect(masked.stdout).not.toContain('529412');
    const open = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--card-bin', '529412', '--no-mask', '--quiet', '--json']);
    expect(lastJson<ReportJson>(open.stdout).filter).toEqual({ cardBin: '529412' });
    expect(lastJson<ReportJson>(open.stdout).totals.events).toBe(j.totals.events);
  });

  /** Each bad flag exits 1 naming it, with nothing on stdout. */
  async function refused(cases: [string[], RegExp][]): Promise<void> {
    for (const [flags, message] of cases) {
      const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, ...flags, '--json']);
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.stderr, flags.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
  }

  it('a bad amount exits 1 naming its flag: more decimals than the currency has, a decimal comma, no currency', async () => {
    await refused([
      [['--currency', 'EUR', '--amount-min', '12.505'], /--amount-min: EUR has 2 decimals: "12.505" has more/],
      [['--currency', 'EUR', '--amount-max', '12,50'], /--amount-max: "12,50" is not an amount: a comma or space only groups thousands/],
      [['--amount-min', '10'], /--amount-min needs --currency/],
      [['--currency', 'EUR', '--amount-min', '20', '--amount-max', '10'], /--amount-max: amountMax is below amountMin/],
    ]);
  });

  it('a bad filter flag exits 1 naming the flag', async () => {
    await refused([
      [['--card-bin', '52x'], /--card-bin: a BIN is 4 to 11 digits/],
      [['--decision', 'maybe'], /--decision:/],
      [['--currency', 'EURO'], /--currency: a currency is three letters/],
      [['--three-ds', 'sometimes'], /--three-ds:/],
      [['--attempt-min', 'two'], /--attempt-min must be a positive whole number/],
      [['--merchant-id', ''], /--merchant-id:/],
    ]);
  });

  it('no filter flag gives the report as before: every event, no "filter" field', async () => {
    const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = lastJson<ReportJson>(r.stdout);
    const db = openDatabase(dbFile, { readonly: true });
    const direct = buildReport(storeOn(db), { from: Date.parse(FROM), to: Date.parse(TO), marginMinutes: 15, mask: true, maskFields: [] }) as unknown as ReportJson;
    db.close();
    expect('filter' in j).toBe(false);
    expect({ ...j, generatedAt: '', tookMs: 0 }).toEqual({ ...direct, generatedAt: '', tookMs: 0 });
    expect(j.totals.events).toBe(sql<{ n: number }>('SELECT COUNT(*) n FROM events WHERE time_ms >= ? AND time_ms < ?')[0].n);
  });
});
