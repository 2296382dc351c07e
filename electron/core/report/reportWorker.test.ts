// The report built in a worker thread (run from its TypeScript source) equals the
// one built in-thread, and window errors come back as such.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCapture } from '../../../test/support/explorerTestKit';
import { openDatabase } from '../store/database';
import { tempDir } from '../../../test/support/tempDir';
import { buildReport, ReportWindowError } from './reportData';
import { buildReportOffThread } from './reportWorker';

const dir = tempDir('payops-report-worker-');
const dbFile = path.join(dir, 'w.db');
const FROM = Date.UTC(2026, 10, 5);
const TO = Date.UTC(2026, 10, 9, 7, 30, 0, 500);

beforeAll(async () => {
  const db = openDatabase(dbFile);
  await loadDemoCapture(db, 20_000);
  db.close();
});

describe('report off the engine thread', () => {
  it('gives the same figures as in-thread', async () => {
    const off = await buildReportOffThread(dbFile, { from: FROM, to: TO, mask: false });
    const db = openDatabase(dbFile, { readonly: true });
    const on = buildReport(db, { from: FROM, to: TO, mask: false });
    db.close();
    expect(off.totals).toEqual(on.totals);
    expect(off.topMerchants).toEqual(on.topMerchants);
    expect(off.previous).toEqual(on.previous);
  });

  it('reports a bad window as a ReportWindowError', async () => {
    await expect(buildReportOffThread(dbFile, { from: TO, to: FROM })).rejects.toBeInstanceOf(ReportWindowError);
  });
});
