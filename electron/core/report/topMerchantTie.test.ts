// "Most active merchant: m_a (2 events, ...)" named one of several merchants with as many events,
// the first by name, as if it stood alone. A tie is said: "m_a and 2 others, 2 events each", and
// the JSON says how many tie (topMerchantsTied; topMerchants as before), also past the top list.
import type Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countText } from '../../../shared/countText';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';

const dir = tempDir('payops-top-merchant-tie-');
const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
const HOUR = 3_600_000;
let db: Database.Database;
let store: Store;

/** Events of each merchant in its hour: [merchant, events] per hour. */
const HOURS: [string, number][][] = [
  [['m_c', 2], ['m_a', 2], ['m_b', 2], ['m_d', 1]],
  [['m_a', 3], ['m_b', 2]],
  [['m_x', 1], ['m_y', 1]],
  Array.from({ length: 15 }, (_, i) => [`m_${String(i).padStart(2, '0')}`, 1] as [string, number]),
];

beforeAll(() => {
  db = openDatabase(path.join(dir, 't.db'));
  store = storeOn(db);
  let n = 0;
  storeEvents(
    db,
    HOURS.flatMap((merchants, h) =>
      merchants.flatMap(([merchantId, events]) =>
        Array.from({ length: events }, () => ({
          specversion: '1.0', id: `e${n}`, source: 'psp', type: n % 2 ? 'payment.declined' : 'payment.authorized',
          time: new Date(T0 + h * HOUR + n++ * 1000).toISOString(),
          data: { paymentId: `p${n}`, merchantId, amount: 100, currency: 'EUR', declineCode: '05' },
        })),
      ),
    ),
  );
});
afterAll(() => db?.close());

const report = (hour: number, topN?: number) => buildReport(store, { from: T0 + hour * HOUR, to: T0 + (hour + 1) * HOUR, mask: false, topN });
const declines = (r: ReturnType<typeof report>) => countText(r.topMerchants[0].declines, 'decline');
const merchantLine = (r: ReturnType<typeof report>) => r.summary.find((l) => l.startsWith('Most active merchant'));

describe('the most active merchant', () => {
  it('says a tie of three: the first named, the others counted, events each', () => {
    const r = report(0);
    expect(merchantLine(r)).toBe(`Most active merchant: m_a and 2 others, 2 events each (m_a: ${declines(r)}).`);
    expect(r.topMerchantsTied).toBe(3);
    expect(r.topMerchants.map((m) => m.merchantId)).toEqual(['m_a', 'm_b', 'm_c', 'm_d']);
    expect(renderReportHtml(r)).toContain('and 2 others, 2 events each');
  });

  it('a tie of two says "1 other"', () => {
    const r = report(2);
    expect(merchantLine(r)).toBe(`Most active merchant: m_x and 1 other, 1 event each (m_x: ${declines(r)}).`);
    expect(r.topMerchantsTied).toBe(2);
  });

  it('one alone is named as before, tied 1', () => {
    const r = report(1);
    expect(merchantLine(r)).toMatch(/^Most active merchant: m_a \(3 events, [0-9]+ declines?\)\.$/);
    expect(r.topMerchantsTied).toBe(1);
  });

  it('counts a tie past the top list', () => {
    const r = report(3, 10);
    expect(r.topMerchants).toHaveLength(10);
    expect(r.topMerchantsTied).toBe(15);
    expect(merchantLine(r)).toMatch(/^Most active merchant: m_00 and 14 others, 1 event each /);
  });
});
