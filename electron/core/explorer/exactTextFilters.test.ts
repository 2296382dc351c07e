// The explorer's exact filters (merchant, payment or event id, issuer, acquirer, method, decline
// code) through the API's own schema: a stored value is matched as stored. EVENTS.md gives ids
// no form, so " m_1" and "m_1" are two merchants (and "  " is one); trimming the filter showed
// m_1's events for " m_1" (a triage or health link to that merchant) and could not ask for "  ".
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequestSchemas } from '../../../shared/api';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { storeEvents } from '../../../test/support/explorerTestKit';
import type Database from 'better-sqlite3';

const BASE = Date.UTC(2026, 10, 23, 5, 0, 0);
const dir = tempDir('payops-exact-text-');
let db: Database.Database;
let store: Store;

const VALUES = ['m_1', ' m_1', 'm_1 ', '  ', '\u00a0'];

beforeAll(() => {
  db = openDatabase(path.join(dir, 'exact.db'));
  store = storeOn(db);
  storeEvents(
    db,
    VALUES.flatMap((v, i) =>
      [0, 1, 2].map((k) => ({
        specversion: '1.0', id: `${v}#${k}`, source: 'psp/exact', type: 'payment.declined', time: new Date(BASE + i * 1000 + k).toISOString(),
        data: { paymentId: `${v}`, merchantId: v, amount: 100, currency: 'EUR', issuer: v, acquirer: v, method: v, declineCode: v },
      })),
    ),
  );
});
afterAll(() => db?.close());

const page = (filter: Record<string, string>) => store.eventPages.page(apiRequestSchemas['events.query'].parse({ filter, limit: 100 }));

describe('exact text filters keep the value as stored', () => {
  it('a merchant id with surrounding or only white space finds that merchant, and only it', () => {
    for (const v of VALUES) {
      const rows = page({ merchantId: v }).rows;
      expect(rows.map((r) => r.merchantId), JSON.stringify(v)).toEqual([v, v, v]);
    }
  });

  it('the same for a payment or event id, issuer, acquirer, method and decline code', () => {
    for (const v of VALUES) {
      for (const key of ['search', 'issuer', 'acquirer', 'method', 'declineCode']) {
        const rows = page({ [key]: v }).rows;
        expect(rows.map((r) => r.merchantId), `${key} ${JSON.stringify(v)}`).toEqual([v, v, v]);
      }
      expect(page({ search: `${v}#1` }).rows.map((r) => r.id)).toEqual([`${v}#1`]);
    }
  });

  it('an empty value is still refused', () => {
    for (const key of ['merchantId', 'search', 'issuer', 'acquirer', 'method', 'declineCode']) {
      expect(apiRequestSchemas['events.query'].safeParse({ filter: { [key]: '' } }).success, key).toBe(false);
    }
  });
});
