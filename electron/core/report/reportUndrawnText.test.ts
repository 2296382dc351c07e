// A merchant id, decline code or note carrying characters that are not drawn but act on what is
// (a right-to-left override reverses the rest of the summary's sentence, "(7 events, 0 declines)"
// read backwards; a zero-width space makes "m_1" another id that reads alike) went into the HTML
// and PDF report as they came, while the console and the CLI show them as \uXXXX
// (shared/formatCharacters.ts). The report shows them the same way now; right-to-left names
// (Hebrew, Arabic) stay as they are written. Real SQLite file, the real report builder.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';
import { runExport } from './reportExport';

const dir = tempDir('payops-report-undrawn-');
const T0 = Date.UTC(2026, 2, 29, 0, 0, 0);
const MERCHANTS = ['m_\u202eevil', 'm_1\u200b', '\u05de\u05e8\u05e7\u05d8 \u05ea"\u05d0', '\u0645\u062a\u062c\u0631'];
let db: Database.Database;
let store: Store;

beforeAll(() => {
  db = openDatabase(path.join(dir, 'undrawn.db'));
  let i = 0;
  storeEvents(db, MERCHANTS.flatMap((merchantId, k) =>
    Array.from({ length: 8 - k }, () => {
      i += 1;
      return {
        specversion: '1.0', id: `u${i}`, source: 'psp', type: 'payment.declined', time: new Date(T0 + i * 1000).toISOString(),
        data: { paymentId: `p${i}`, merchantId, amount: 1250, currency: 'EUR', declineCode: k === 0 ? '05\u202e' : '51', reason: `declined at ${merchantId}` },
      };
    }),
  ));
  store = storeOn(db);
});
afterAll(() => db?.close());

describe('the HTML report shows characters that are not drawn', () => {
  it('as \\uXXXX, in the summary, the tables and the notes; right-to-left names as written', () => {
    const r = buildReport(store, { from: T0, to: T0 + 3_600_000, notes: 'merchant m_\u202eevil (7 events)', title: 'Incident \u2066x' });
    const html = renderReportHtml(r);
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f]/);
    const summary = html.slice(html.indexOf('id="s-summary"'), html.indexOf('</ul>', html.indexOf('id="s-summary"')));
    expect(summary).toContain('Most active merchant: <bdi>m_\\u202eevil</bdi> (8 events, 8 declines).');
    expect(html).toContain('m_1\\u200b');
    expect(html).toContain('Incident \\u2066x');
    expect(html).toContain('\u05de\u05e8\u05e7\u05d8 \u05ea');
    expect(html).toContain('\u0645\u062a\u062c\u0631');
  });
});

// The JSON report file had them raw too, while `payops report --json` writes them as \uXXXX
// (the same JSON to a reader; a file read with cat or an editor reverses nothing).
describe('the JSON report file', () => {
  it('writes them as \\uXXXX, and reads back to the same values', async () => {
    const out = path.join(dir, 'undrawn.json');
    await runExport(store, { from: T0, to: T0 + 3_600_000, format: 'json', outFile: out, notes: 'merchant m_\u202eevil' });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    const report = JSON.parse(text) as { topMerchants: { merchantId: string }[]; notes: string };
    expect(report.topMerchants[0].merchantId).toBe('m_\u202eevil');
    expect(report.notes).toBe('merchant m_\u202eevil');
    expect(text).toContain('\u05de\u05e8\u05e7\u05d8');
  });
});
