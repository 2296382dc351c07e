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
});
afterAll(() => db?.close());

describe('the report summary', () => {
  it('quotes a merchant id and a decline code with white space at an end', () => {
    const r = buildReport(store, { from: T0, to: T0 + 60_000, mask: false });
    expect(r.summary).toContain('Most active merchant: " m_1" (4 events, 4 declines).');
    expect(r.summary.find((l) => l.startsWith('Most frequent decline code:'))).toMatch(/^Most frequent decline code: "05 " /);
  });
});
