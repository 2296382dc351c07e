// A value in right-to-left letters (Hebrew, Arabic; no control character to escape) was written
// into the report's HTML as bare text, so the browser's bidi algorithm took the figures and
// brackets after it into its run: "Most active merchant: שלום (3 events" was drawn with "3 ("
// on the merchant's left, in the HTML and the PDF printed from it. Every value from the events is
// now an isolate (<bdi>): the summary's and the filter's values, table cells, and any
// right-to-left run in free text (a title, notes, an alert's summary). The JSON's summary keeps its text.
import type Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';

const dir = tempDir('payops-report-bidi-');
const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const MERCHANT = 'שלום';
const ISSUER = 'بنك الخير';
let db: Database.Database;
let store: Store;

beforeAll(() => {
  db = openDatabase(path.join(dir, 'b.db'));
  store = storeOn(db);
  storeEvents(
    db,
    Array.from({ length: 5 }, (_, i) => ({
      specversion: '1.0', id: `b${i}`, source: 'psp', type: 'payment.declined', time: new Date(T0 + i * 1000).toISOString(),
      data: { paymentId: `p${i}`, merchantId: i < 3 ? MERCHANT : 'm_2', amount: 100, currency: 'EUR', declineCode: 'נ5', issuer: ISSUER, country: 'IL' },
    })),
  );
});
afterAll(() => db?.close());

const RTL_LETTER = /[\p{scx=Hebr}\p{scx=Arab}]/u;

/** The body's drawn text outside any <bdi> (charts' SVG aside: a legend is a text element of its own). */
function textOutsideIsolates(html: string): string {
  const body = html.slice(html.indexOf('<body>'), html.indexOf('</body>'));
  return body
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<bdi>[^<]*<\/bdi>/g, '')
    .replace(/<[^>]*>/g, '');
}

describe('right-to-left values in the HTML report', () => {
  const report = (filtered: boolean) =>
    buildReport(store, {
      from: T0, to: T0 + 60_000, mask: false, title: `Incident at ${MERCHANT} 09:00`, notes: `${ISSUER} down 5 min, then 12 declines`,
      ...(filtered ? { filter: { issuer: ISSUER } } : {}),
    });

  it('isolates the most active merchant in its summary line; the JSON keeps the sentence', () => {
    const r = report(false);
    expect(r.summary).toContain(`Most active merchant: ${MERCHANT} (3 events, 3 declines).`);
    expect(renderReportHtml(r)).toContain(`<li>Most active merchant: <bdi>${MERCHANT}</bdi> (3 events, 3 declines).</li>`);
  });

  it('isolates the filter\'s values in the header and the summary', () => {
    const html = renderReportHtml(report(true));
    expect(html).toContain(`Filtered: only events matching issuer <bdi>${ISSUER}</bdi>; alerts`);
  });

  it('leaves no right-to-left letter outside an isolate: summary, tables, sample, title, notes', () => {
    for (const filtered of [false, true]) {
      const html = renderReportHtml(report(filtered));
      const outside = textOutsideIsolates(html);
      expect(outside.match(new RegExp(`.{0,30}${RTL_LETTER.source}.{0,30}`, 'u'))?.[0] ?? null).toBeNull();
      expect(html).toContain(`<td><bdi>${MERCHANT}</bdi></td>`);
      expect(html).toContain(`<h1>Incident at <bdi>${MERCHANT}</bdi> 09:00</h1>`);
      expect(html).toContain(`<bdi>${ISSUER}</bdi> down 5 min, then 12 declines`);
    }
  });
});
