// A NUL or another C0 control character in a CSV cell was written raw: spreadsheets stop reading
// the file or drop the row at a NUL, and CSV tools refuse it. It is written as \uXXXX, as the
// report's other outputs show a character that is not drawn (JSON's own escape); tab, carriage
// return and line feed stay (a note's lines, RFC 4180 quoting holds them). The apostrophe against
// formulas is decided on the value as it came, as before.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows } from '../../../test/support/csvRows';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { csvCell } from './csv';
import { runExport } from './reportExport';

const dir = tempDir('payops-csv-controls-');
const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
let db: Database.Database;
let store: Store;

beforeAll(() => {
  db = openDatabase(path.join(dir, 'c.db'));
  store = storeOn(db);
  storeEvents(db, [{
    specversion: '1.0', id: 'ctl-1', source: 'psp', type: 'payment.declined', time: new Date(T0).toISOString(),
    data: { paymentId: 'p_ctl', merchantId: 'm\u0000evil', amount: 100, currency: 'EUR', declineCode: '05\u001b[2J', method: '\u0000=1+1' },
  }]);
});
afterAll(() => db?.close());

describe('a control character in a CSV cell', () => {
  it('is written as \\uXXXX: NUL, escape, bell, vertical tab, form feed, unit separator', () => {
    expect(csvCell('m\u0000evil')).toBe('m\\u0000evil');
    expect(csvCell('a\u0007\u000b\u000c\u001fz')).toBe('a\\u0007\\u000b\\u000c\\u001fz');
    expect(csvCell('05\u001b[2J')).toBe('05\\u001b[2J');
  });

  it('tab, carriage return and line feed stay, quoted', () => {
    expect(csvRows(`${csvCell('line 1\r\nline\t2')}\r\n`)[0][0]).toBe('line 1\r\nline\t2');
  });

  it('keeps the apostrophe a value starting with a control character gets', () => {
    expect(csvCell('\u0000=1+1')).toBe("'\\u0000=1+1");
    expect(csvCell('\u0001abc')).toBe("'\\u0001abc");
  });

  it('the exported file holds no C0 control character but tab, CR and LF (real SQLite, the exporter)', async () => {
    const out = path.join(dir, 'c.csv');
    await runExport(store, { from: T0, to: T0 + 60_000, format: 'csv', outFile: out, mask: false, maskFields: [] });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const [head, row] = csvRows(text);
    const cell = (name: string) => row[head.indexOf(name)];
    expect(cell('merchant_id')).toBe('m\\u0000evil');
    expect(cell('decline_code')).toBe('05\\u001b[2J');
  });
});
