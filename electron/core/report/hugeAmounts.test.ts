// Amounts at the top of what EVENTS.md allows (a safe integer of minor units each): a window
// whose authorized total per currency passes 2^63 (SQLite's integer) must still be reported,
// and so must `payops stats`' totals. Real SQLite files, the real writer.
import type Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';
import { minorToMajorString } from '../../../shared/currencies';
import { formatMoney } from '../../../shared/format';

const dir = tempDir('payops-huge-amounts-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);
const BIG = Number.MAX_SAFE_INTEGER;
const N = 1100; // 1100 * (2^53 - 1) > 2^63
let db: Database.Database;
let store: Store;

beforeAll(() => {
  db = openDatabase(path.join(dir, 'huge.db'));
  storeEvents(db, [
    ...Array.from({ length: N }, (_, i) => ({
      specversion: '1.0', id: `h${i}`, source: 'psp/x', type: 'payment.authorized',
      // Whole seconds (rollups) and part seconds at the window's edges (raw events) alike.
      time: new Date(T0 + 1500 + (i % 7) * 60_000 + (i % 3) * 333).toISOString(),
      data: { paymentId: `p${i}`, merchantId: 'm_1', amount: BIG, currency: 'JPY' },
    })),
    { specversion: '1.0', id: 'eur', source: 'psp/x', type: 'payment.authorized', time: new Date(T0 + 2000).toISOString(), data: { paymentId: 'pe', merchantId: 'm_1', amount: 1250, currency: 'EUR' } },
  ]);
  store = storeOn(db);
});
afterAll(() => db?.close());

describe('authorized totals past 2^63 minor units', () => {
  it('a report over whole seconds and over part seconds is built, not refused with "integer overflow"', () => {
    for (const [from, to] of [[T0, T0 + 3_600_000], [T0 + 1600, T0 + 1_000_000]]) {
      const r = buildReport(store, { from, to });
      expect(r.totals.authorized).toBeGreaterThan(600);
      expect(r.totals.authorizedAmountByCurrency.JPY).toBeGreaterThan(2 ** 63 / 2);
      // Other currencies keep their exact totals beside it.
      expect(r.totals.authorizedAmountByCurrency.EUR).toBe(1250);
      expect(renderReportHtml(r)).toContain('12.50 EUR');
    }
  });

  it('stats totals per currency are read too', () => {
    const totals = store.rollups.authorizedByCurrency();
    expect(totals.find((t) => t.key === 'EUR')?.total).toBe(1250);
    expect(totals.find((t) => t.key === 'JPY')!.total).toBeGreaterThan(2 ** 63);
  });
});

describe('money text of totals at 10^21 minor units and beyond', () => {
  it('is digits, not exponent notation cut into pieces ("5.66e+.21 EUR")', () => {
    // ~630,000 payments of the largest valid amount: a total JavaScript writes as "6.3e+21".
    const total = 630_000 * BIG;
    expect(String(total)).toContain('e+');
    expect(minorToMajorString(total, 'EUR')).toMatch(/^\d{20}\.\d{2}$/);
    expect(minorToMajorString(total, 'JPY')).toMatch(/^\d{22}$/);
    expect(minorToMajorString(total, 'KWD')).toMatch(/^\d{19}\.\d{3}$/);
    expect(formatMoney(total, 'EUR')).toMatch(/^\d{1,3}(,\d{3}){6}\.\d{2} EUR$/);
    expect(BigInt(minorToMajorString(total, 'JPY'))).toBe(BigInt(total));
  });
});

describe('a total past 2^53 minor units is not passed off as exact', () => {
  it('the summary and the HTML say "about" for it, and only for it', () => {
    const r = buildReport(store, { from: T0, to: T0 + 3_600_000 });
    expect(Number.isSafeInteger(r.totals.authorizedAmountByCurrency.JPY)).toBe(false);
    const line = r.summary.find((l) => l.startsWith('Authorized:'))!;
    expect(line).toMatch(/^Authorized: 12\.50 EUR, about [\d,]+ JPY\.$/);
    const html = renderReportHtml(r);
    expect(html).toMatch(/about [\d,]+<\/td>/);
    expect(html).not.toMatch(/about 12\.50/);
  });
});
