import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { openStore, storeOn } from '../store/store';
import { buildReport } from './reportData';
import { runExport } from './reportExport';

// QA: `payops report` run against a database a collector was writing gave totals that did not
// add up: with late events of the window committed while the report was being read, its
// authorized count (8,775) exceeded byType's payment.authorized (8,678) and its top merchants
// held more events than its total. Here the collector's commit lands between two of the
// report's reads, on a second connection, as it does in the field.

const dir = tempDir('payops-report-consistency-');
const T0 = Date.UTC(2026, 11, 3, 0, 0, 0);

function events(prefix: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const type = ['payment.authorized', 'payment.declined', 'payment.failed', 'risk.scored'][i % 4];
    const time = new Date(T0 + ((i * 7919) % 600_000)).toISOString();
    const data = type === 'risk.scored'
      ? { paymentId: `${prefix}${i}`, merchantId: `m_${i % 5}`, score: 90, decision: 'block' }
      : { paymentId: `${prefix}${i}`, merchantId: `m_${i % 5}`, amount: 100, currency: 'EUR', country: 'DE', ...(type === 'payment.declined' ? { declineCode: '05' } : {}) };
    return { specversion: '1.0', id: `${prefix}${i}`, source: 'psp/live', type, time, data };
  });
}

const writerDb = openDatabase(path.join(dir, 'live.db'));
storeOn(writerDb);
storeEvents(writerDb, events('a', 400));
const reader = openStore(path.join(dir, 'live.db'), { readonly: true });
afterAll(() => {
  reader.close();
  writerDb.close();
});

describe('a report built while a collector writes', () => {
  it('reads every figure as of one moment', () => {
    // The collector commits late events of the window after the report has counted by type.
    const merchantCounts = reader.reports.merchantCounts.bind(reader.reports);
    let committed = false;
    reader.reports.merchantCounts = (from, to) => {
      if (!committed) storeEvents(writerDb, events('late', 200));
      committed = true;
      return merchantCounts(from, to);
    };
    const r = buildReport(reader, { from: T0, to: T0 + 600_000 });
    expect(committed).toBe(true);
    const t = r.totals;
    expect(t.events).toBe(400);
    expect(t.authorized).toBe(t.byType['payment.authorized']);
    expect(t.declined).toBe(t.byType['payment.declined']);
    expect(t.failed).toBe(t.byType['payment.failed']);
    expect(r.topMerchants.reduce((n, m) => n + m.events, 0)).toBe(t.events);
    expect(r.topMerchants.reduce((n, m) => n + m.declines, 0)).toBe(t.declined);
    // The next report sees the collector's events.
    expect(buildReport(reader, { from: T0, to: T0 + 600_000 }).totals.events).toBe(600);
  });

  it('exports to CSV the events stored when the export began', async () => {
    // QA: late events committed between two chunks of a CSV export landed in it when their
    // time was past the export's keyset and not when it was before: a file of no one moment,
    // with more rows than the progress's total.
    const before = buildReport(reader, { from: T0, to: T0 + 600_000 }).totals.events;
    const out = path.join(dir, 'live.csv');
    let late = 0;
    const result = await runExport(reader, {
      from: T0, to: T0 + 600_000, format: 'csv', outFile: out, chunkRows: 50,
      onProgress: () => {
        if (late < 2) storeEvents(writerDb, events(`late${late++}-`, 100));
      },
    });
    expect(late).toBe(2);
    expect(result.rows).toBe(before);
    expect(fs.readFileSync(out, 'utf8').trimEnd().split('\r\n')).toHaveLength(before + 1);
  });
});
