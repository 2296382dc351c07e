// Test support: declined payments whose reason quotes the given texts, stored through the real
// writer in a new SQLite file and exported with the default masking as CSV, JSON and HTML (the
// HTML shows a reason where an event has no decline code).
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/core/store/database';
import { storeOn } from '../../electron/core/store/store';
import { runExport } from '../../electron/core/report/reportExport';
import { storeEvents } from './explorerTestKit';

export type ExportedTexts = Record<'csv' | 'json' | 'html', string>;

/** The three exports of one event per reason ("<name>.db" and "<name>.<format>" in `dir`). */
export async function exportReasons(dir: string, name: string, reasons: string[]): Promise<ExportedTexts> {
  const t0 = Date.UTC(2026, 11, 7, 12, 0, 0);
  const db = openDatabase(path.join(dir, `${name}.db`));
  try {
    storeEvents(db, reasons.map((reason, i) => ({
      specversion: '1.0', id: `${name}-${i}`, source: 'psp', type: 'payment.declined', time: new Date(t0 + i * 1000).toISOString(),
      data: { paymentId: `${name}-p${i}`, merchantId: 'm_1', amount: 100, currency: 'EUR', reason },
    })));
    const texts: Partial<ExportedTexts> = {};
    for (const format of ['csv', 'json', 'html'] as const) {
      const out = path.join(dir, `${name}.${format}`);
      await runExport(storeOn(db), { from: t0, to: t0 + 3_600_000, format, outFile: out });
      texts[format] = fs.readFileSync(out, 'utf8');
    }
    return texts as ExportedTexts;
  } finally {
    db.close();
  }
}
