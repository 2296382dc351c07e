// The read worker, started from its TypeScript source: reports equal the ones built in-thread,
// window errors keep their kind across the thread, explorer pages and exports answer, and its
// connection cannot write.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCapture } from '../../../test/support/explorerTestKit';
import { openDatabase } from '../store/database';
import { openStore } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { buildReport } from '../report/reportData';
import { DashboardService } from '../dashboard/dashboardService';
import { ReaderHost } from './readerHost';

const dir = tempDir('payops-reader-');
const dbFile = path.join(dir, 'w.db');
const FROM = Date.UTC(2026, 10, 5);
const TO = Date.UTC(2026, 10, 9, 7, 30, 0, 500);
let reader: ReaderHost;

beforeAll(async () => {
  const db = openDatabase(dbFile);
  await loadDemoCapture(db, 20_000);
  db.close();
  reader = await ReaderHost.start({ dbFile, exportsDir: path.join(dir, 'exports') });
});
afterAll(() => reader?.stop());

describe('the read worker', () => {
  it('builds the same report as in-thread', async () => {
    const off = await reader.services.report.build({ from: FROM, to: TO, mask: false, maskFields: [], marginMinutes: 15 });
    const store = openStore(dbFile, { readonly: true });
    const on = buildReport(store, { from: FROM, to: TO, mask: false });
    store.close();
    expect(off.totals).toEqual(on.totals);
    expect(off.topMerchants).toEqual(on.topMerchants);
    expect(off.previous).toEqual(on.previous);
  });

  it('reports a bad window as a ReportWindowError', async () => {
    await expect(reader.services.report.build({ from: TO, to: FROM, mask: true, maskFields: [], marginMinutes: 15 })).rejects.toMatchObject({ kind: 'ReportWindowError' });
  });

  it('serves explorer pages and export jobs', async () => {
    const page = await reader.services.events.query({ filter: { types: ['payment.declined'] }, order: 'desc', limit: 5, cursor: null });
    expect(page.rows).toHaveLength(5);
    expect(page.rows.every((r) => r.type === 'payment.declined')).toBe(true);
    const outFile = path.join(dir, 'r.csv');
    let job = await reader.services.report.export({ from: FROM, to: TO, mask: true, maskFields: [], marginMinutes: 15, format: 'csv', outFile });
    while (job.state === 'running') job = await reader.services.report.progress({ jobId: job.jobId });
    expect(job).toMatchObject({ state: 'done', file: outFile });
    expect(fs.readFileSync(outFile, 'utf8').split('\n').length).toBeGreaterThan(100);
  });

  it('serves the dashboard from the per-minute rollups, equal to the in-thread answer', async () => {
    const args = { fromMs: FROM, toMs: TO, compare: 'none' as const };
    const off = await reader.services.dashboard.series(args);
    const store = openStore(dbFile, { readonly: true });
    const on = new DashboardService(store).series(args);
    store.close();
    expect(off).toEqual(on);
    expect(off.totals.authorized + off.totals.declined).toBeGreaterThan(100);
  });

  it('is read-only: nothing it serves can write the database', async () => {
    const before = fs.statSync(dbFile).mtimeMs;
    await reader.services.backtest.run({ text: 'rules: []', format: 'yaml', from: FROM, to: TO });
    expect(fs.statSync(dbFile).mtimeMs).toBe(before);
  });
});
