// The PDF's header broke its times at their hyphens ("generated 2026-12-" on one line, "07T08:49:52Z"
// on the next; pdftotext read "2026-1207T..."): a time in the header is now kept on one line.
// Real SQLite file, the real exporter, Chromium's PDF read back with pdftotext.
import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn } from '../store/store';
import { findChromium } from './reportPdf';
import { runExport } from './reportExport';

const dir = tempDir('payops-pdf-header-');
let db: Database.Database | undefined;
afterAll(() => db?.close());

describe('the PDF header', () => {
  it.skipIf(!findChromium())('keeps each time whole on one line', async () => {
    const from = Date.UTC(2020, 0, 1);
    db = openDatabase(path.join(dir, 'h.db'));
    storeEvents(db, [{ specversion: '1.0', id: 'e1', source: 'psp', type: 'payment.authorized', time: new Date(from + 1000).toISOString(), data: { paymentId: 'p1', merchantId: 'm_1', amount: 100, currency: 'EUR' } }]);
    const out = path.join(dir, 'h.pdf');
    const r = await runExport(storeOn(db), { from, to: from + 3_600_000, format: 'pdf', outFile: out });
    const text = execFileSync('pdftotext', [out, '-']).toString();
    for (const time of [r.report!.generatedAt, r.report!.window.from, r.report!.window.to]) expect(text, time).toContain(time);
  });
});
