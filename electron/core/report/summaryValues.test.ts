// The report's summary names the most active merchant and the most frequent decline code. They
// were written bare, so a merchant id with white space at an end (" m_1", another merchant than
// "m_1", EVENTS.md) or only white space read as m_1 or as no merchant, while the alerts, the CLI
// and the explorer quote such values (shared/quotedValue.ts).
import type Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';

const dir = tempDir('payops-summary-values-');
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
let db: Database.Database;
let store: Store;

beforeAll(() => {
  db = openDatabase(path.join(dir, 's.db'));
  store = storeOn(db);
  storeEvents(
    db,
    Array.from({ length: 6 }, (_, i) => ({
      specversion: '1.0', id: `e${i}`, source: 'psp', type: 'payment.declined', time: new Date(T0 + i * 1000).toISOString(),
      data: { paymentId: `p${i}`, merchantId: i < 4 ? ' m_1' : 'm_2', amount: 100, currency: 'EUR', declineCode: '05 ' },
    })),
  );
  // An hour later, one decline alone.
  storeEvents(db, [{
    specversion: '1.0', id: 'one', source: 'psp', type: 'payment.declined', time: new Date(T0 + 3_600_000).toISOString(),
    data: { paymentId: 'p_one', merchantId: 'm_1', amount: 100, currency: 'EUR', declineCode: '05' },
  }]);
});
afterAll(() => db?.close());

describe('the report summary', () => {
  it('quotes a merchant id and a decline code with white space at an end', () => {
    const r = buildReport(store, { from: T0, to: T0 + 60_000, mask: false });
    expect(r.summary).toContain('Most active merchant: " m_1" (4 events, 4 declines).');
    expect(r.summary.find((l) => l.startsWith('Most frequent decline code:'))).toMatch(/^Most frequent decline code: "05 " /);
  });
});

describe('the report counts one as one', () => {
  it('"1 event", "1 decline", "1 payment" (was "1 events", "1 declines"), and "0 technical failures"', () => {
    const r = buildReport(store, { from: T0 + 3_600_000, to: T0 + 3_660_000, mask: false });
    const text = r.summary.join('\n');
    expect(text).toMatch(/^1 event from /m);
    expect(text).toContain('of 1 payment (');
    expect(text).toContain('; 1 decline, 0 technical failures.');
    expect(text).toContain('Most active merchant: m_1 (1 event, 1 decline).');
    expect(text).not.toMatch(/\b1 (events|declines|payments)\b|\(s\)/);
    const html = renderReportHtml(r);
    expect(html).toContain('1 payment, retries counted once');
    expect(html).toContain('1 event: the newest');
    expect(html).not.toMatch(/\b1 (events|declines|payments)\b|\(s\)/);
  });
});
