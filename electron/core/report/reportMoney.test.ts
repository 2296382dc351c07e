// Issue 11, reports: money in each currency's own minor units (JPY none, KWD three) in the
// summary, HTML, PDF and CSV; decline codes with their meaning; severities in the console's
// colours; silences and acknowledgements in the timeline; a table, not raw JSON, for events.
import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITY_COLORS } from '../../../shared/severity';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { AlertHistoryStore } from '../alerts/alertHistoryStore';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';
import { findChromium } from './reportPdf';
import { CSV_COLUMNS, runExport } from './reportExport';

const dir = tempDir('payops-report-money-');
const T0 = Date.UTC(2026, 4, 4, 9, 0, 0);
const FROM = T0 - 60_000;
const TO = T0 + 600_000;
let db: Database.Database;
let store: Store;

const pay = (id: string, type: string, at: number, data: Record<string, unknown>) => ({
  specversion: '1.0', id, source: 'psp', type, time: new Date(T0 + at).toISOString(),
  data: { paymentId: `pay_${id}`, merchantId: 'm_1', country: 'JP', cardBin: '424242', ...data },
});

beforeAll(() => {
  db = openDatabase(path.join(dir, 'money.db'));
  store = storeOn(db);
  storeEvents(db, [
    pay('jpy1', 'payment.authorized', 1000, { amount: 13367, currency: 'JPY' }),
    pay('jpy2', 'payment.authorized', 2000, { amount: 1, currency: 'JPY' }),
    pay('eur1', 'payment.authorized', 3000, { amount: 1250, currency: 'EUR' }),
    pay('kwd1', 'payment.authorized', 4000, { amount: 1250, currency: 'KWD' }),
    pay('d51', 'payment.declined', 5000, { amount: 500, currency: 'EUR', declineCode: '51' }),
    pay('d41', 'payment.declined', 6000, { amount: 500, currency: 'EUR', declineCode: '41' }),
  ]);
  new AlertHistoryStore(store).saveInstances([
    {
      key: 'k1', rule: 'decline-rate-spike', severity: 'critical', labels: {}, group: '', state: 'resolved', summary: 'decline rate 33%', value: 0.33, peakValue: 0.4,
      activeSince: T0 + 10_000, firedAt: T0 + 20_000, resolvedAt: T0 + 120_000, endedAt: null, silenced: false,
      acknowledged: { by: 'ana', note: 'issuer 51 spike', at: T0 + 30_000 }, resolveNote: null,
      transitions: [{ state: 'pending', at: T0 + 10_000 }, { state: 'firing', at: T0 + 20_000 }, { state: 'resolved', at: T0 + 120_000 }],
    },
  ]);
  store.silences.save({ id: 'sil', matchers: [{ label: 'alertname', op: '=', value: 'traffic-stopped' }], endsAt: T0 + 300_000, comment: 'maintenance', createdBy: 'bo', createdAt: T0 + 40_000, expiredAt: null });
});
afterAll(() => db?.close());

/** One CSV line's fields (RFC 4180 quoting). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

describe('report money', () => {
  it('keeps each currency in its own minor units, and shows it with its own decimals', () => {
    const r = buildReport(store, { from: FROM, to: TO });
    expect(r.totals.authorizedAmountByCurrency).toEqual({ EUR: 1250, JPY: 13368, KWD: 1250 });
    const line = r.summary.find((l) => l.startsWith('Authorized:'));
    // Before: "EUR 12.50, JPY 133.68, KWD 12.50 (minor units / 100)".
    expect(line).toBe('Authorized: 12.50 EUR, 13,368 JPY, 1.250 KWD.');
    const html = renderReportHtml(r);
    expect(html).toContain('<td><bdi>JPY</bdi></td><td class="n">13,368</td>');
    expect(html).toContain('<td><bdi>KWD</bdi></td><td class="n">1.250</td>');
    expect(html).not.toContain('133.68');
    // The sample of events is a table with each amount in its currency, not a page of JSON.
    expect(html).toContain('aria-label="Sample of events"');
    expect(html).toContain('13,367 JPY');
    expect(html).not.toContain('"specversion"');
    expect(html).not.toMatch(/<pre>/);
  });

  it('writes CSV amounts in major units of each row\'s currency, beside the minor units as received', async () => {
    const out = path.join(dir, 'money.csv');
    await runExport(store, { from: FROM, to: TO, format: 'csv', outFile: out });
    const lines = fs.readFileSync(out, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    const head = lines[0].split(',');
    expect(head).toEqual([...CSV_COLUMNS]);
    const col = (name: string) => head.indexOf(name);
    const rows = lines.slice(1).map(csvFields);
    const byId = (id: string) => rows.find((r) => r[col('id')] === id)!;
    expect([byId('jpy1')[col('amount')], byId('jpy1')[col('currency')], byId('jpy1')[col('amount_minor')]]).toEqual(['13367', 'JPY', '13367']);
    expect([byId('eur1')[col('amount')], byId('eur1')[col('amount_minor')]]).toEqual(['12.50', '1250']);
    expect([byId('kwd1')[col('amount')], byId('kwd1')[col('amount_minor')]]).toEqual(['1.250', '1250']);
    expect([byId('d51')[col('decline_code')], byId('d51')[col('decline_meaning')], byId('d51')[col('decline_kind')]]).toEqual(['51', 'Insufficient funds', 'soft']);
    expect(byId('d41')[col('decline_kind')]).toBe('hard');
  });
});

describe('report decline codes, severities and timeline', () => {
  it('names each decline code, soft or hard', () => {
    const r = buildReport(store, { from: FROM, to: TO });
    expect(r.totals).toMatchObject({ declined: 2, softDeclines: 1, hardDeclines: 1, declinesByCode: { '41': 1, '51': 1 } });
    expect(r.topDeclineCodes).toEqual([
      { declineCode: '41', events: 1, meaning: 'Lost card, pick up', kind: 'hard' },
      { declineCode: '51', events: 1, meaning: 'Insufficient funds', kind: 'soft' },
    ]);
    const html = renderReportHtml(r);
    expect(html).toContain('<td class="mono"><bdi>51</bdi></td><td>Insufficient funds</td><td><span class="badge soft">soft</span></td>');
    expect(html).toContain('Lost card, pick up');
  });

  it('colours severities as the console does (shared/severity.ts), critical in red', () => {
    const html = renderReportHtml(buildReport(store, { from: FROM, to: TO }));
    const c = SEVERITY_COLORS.light.critical;
    expect(html).toContain(`.sev-critical{background:${c.bg};color:${c.fg};border:1px solid ${c.fg}}`);
    expect(html).toContain('<span class="badge sev-critical">critical</span>');
    // Before: a critical alert wore the amber "warn" badge.
    expect(html).not.toMatch(/class="badge warn">critical/);
  });

  it('puts acknowledgements and silences in the timeline, in time order', () => {
    const r = buildReport(store, { from: FROM, to: TO });
    expect(r.timeline.map((e) => [e.kind, e.by])).toEqual([
      ['pending', null],
      ['firing', null],
      ['acknowledged', 'ana'],
      ['silenced', 'bo'],
      ['resolved', null],
      ['silence-ended', null],
    ]);
    const html = renderReportHtml(r);
    expect(html).toContain('aria-label="Incident timeline"');
    expect(html).toContain('acknowledged: issuer 51 spike');
    expect(html).toContain('silenced until');
    expect(html).toContain('maintenance');
  });

  it.skipIf(!findChromium())('prints the same money and meanings in the PDF', async () => {
    const out = path.join(dir, 'money.pdf');
    await runExport(store, { from: FROM, to: TO, format: 'pdf', outFile: out });
    const text = execFileSync('pdftotext', ['-layout', out, '-']).toString();
    expect(text).toContain('13,368');
    expect(text).toContain('1.250');
    expect(text).not.toContain('133.68');
    expect(text).toContain('Insufficient funds');
    expect(text).toContain('Incident timeline');
  });
});

// Money in currencies outside ISO 4217's current list: a withdrawn code (BYR, the Belarusian
// ruble until 2016, had no minor unit) and a code no list knows (ZZZ) were shown with two
// decimals, as any unlisted code was: BYR 13367 read "133.67 BYR", ZZZ 1250 "12.50 ZZZ", in the
// summary, the HTML and the CSV. A withdrawn code now takes the decimals CLDR (Intl) keeps for it;
// an unknown one is shown as what it is, minor units with its code, and the CSV leaves its
// major-unit amount empty. Zero- and three-decimal currencies stay right in every export and sum.
describe('money in every currency the events name', () => {
  /** Currency, then two amounts in its minor units (two, to show the sum). */
  const AMOUNTS: [string, number, number][] = [
    ['JPY', 13367, 1], ['KRW', 50000, 1], ['BHD', 1250, 5], ['KWD', 1250, 1], ['TND', 999, 2], ['IQD', 1000, 250],
    ['CLF', 12345, 1], ['UYW', 10000, 5], ['BYR', 13367, 3], ['ZZZ', 1250, 7],
  ];
  /** Each currency's sum as every export must write it. */
  const SUMS: Record<string, string> = {
    JPY: '13,368 JPY', KRW: '50,001 KRW', BHD: '1.255 BHD', KWD: '1.251 KWD', TND: '1.001 TND', IQD: '1.250 IQD',
    CLF: '1.2346 CLF', UYW: '1.0005 UYW', BYR: '13,370 BYR', ZZZ: '1,257 (minor units of ZZZ)',
  };
  let unitsDb: Database.Database;
  let units: Store;
  beforeAll(() => {
    unitsDb = openDatabase(path.join(dir, 'units.db'));
    units = storeOn(unitsDb);
    storeEvents(unitsDb, AMOUNTS.flatMap(([currency, a, b], i) => [a, b].map((amount, k) => ({
      specversion: '1.0', id: `${currency}-${k}`, source: 'psp', type: 'payment.authorized', time: new Date(T0 + i * 2000 + k * 1000).toISOString(),
      data: { paymentId: `pay_${currency}_${k}`, merchantId: 'm_1', amount, currency },
    }))));
  });
  afterAll(() => unitsDb?.close());

  it('the summary (JSON and HTML) writes each sum in its currency\'s own decimals, and an unknown code\'s in minor units', async () => {
    const r = buildReport(units, { from: FROM, to: TO });
    const line = r.summary.find((l) => l.startsWith('Authorized:'))!;
    for (const [currency, text] of Object.entries(SUMS)) expect(line, currency).toContain(text);
    expect(line).not.toContain('133.70');
    const out = path.join(dir, 'units.json');
    await runExport(units, { from: FROM, to: TO, format: 'json', outFile: out });
    const json = JSON.parse(fs.readFileSync(out, 'utf8')) as { summary: string[]; totals: { authorizedAmountByCurrency: Record<string, number> } };
    expect(json.summary).toContain(line);
    expect(json.totals.authorizedAmountByCurrency).toMatchObject({ BYR: 13370, ZZZ: 1257, TND: 1001 });
  });

  it('the HTML tables write the same figures', () => {
    const html = renderReportHtml(buildReport(units, { from: FROM, to: TO }));
    expect(html).toContain('<td><bdi>BYR</bdi></td><td class="n">13,370</td>');
    expect(html).toContain('<td><bdi>ZZZ</bdi></td><td class="n">1,257 (minor units)</td>');
    expect(html).toContain('<td><bdi>TND</bdi></td><td class="n">1.001</td>');
    expect(html).toContain('13,367 BYR');
    expect(html).toContain('1,250 (minor units of ZZZ)');
    expect(html).not.toMatch(/133\.6[0-9]|12\.50 ZZZ/);
  });

  it('the CSV writes major units where the currency\'s decimals are known, and leaves them empty where not', async () => {
    const out = path.join(dir, 'units.csv');
    await runExport(units, { from: FROM, to: TO, format: 'csv', outFile: out });
    const lines = fs.readFileSync(out, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    const head = lines[0].split(',');
    const at = (name: string) => head.indexOf(name);
    const row = (id: string) => lines.slice(1).map(csvFields).find((r) => r[at('id')] === id)!;
    const cells = (id: string) => [row(id)[at('amount')], row(id)[at('currency')], row(id)[at('amount_minor')]];
    expect(cells('BYR-0')).toEqual(['13367', 'BYR', '13367']);
    expect(cells('ZZZ-0')).toEqual(['', 'ZZZ', '1250']);
    expect(cells('TND-0')).toEqual(['0.999', 'TND', '999']);
    expect(cells('KRW-0')).toEqual(['50000', 'KRW', '50000']);
    expect(cells('CLF-0')).toEqual(['1.2345', 'CLF', '12345']);
    expect(cells('IQD-1')).toEqual(['0.250', 'IQD', '250']);
  });
});
