import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplorerResults } from '../../../shared/explorer';
import { openDatabase } from '../store/database';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { loadDemoCapture } from '../../../test/support/explorerTestKit';
import { registerExplorerRequests } from './registerExplorerRequests';

const dir = tempDir('payops-explorer-req-');
let db: Database.Database;
const handlers = new Map<string, (args: unknown) => unknown>();
const call = async <K extends keyof ExplorerResults>(name: K, args: unknown) => (await handlers.get(name)!(args)) as ExplorerResults[K];

beforeAll(async () => {
  db = openDatabase(path.join(dir, 'live.db'));
  await loadDemoCapture(db, 5000);
  registerExplorerRequests({ db, handle: (name, fn) => void handlers.set(name, fn), config: { dbFile: path.join(dir, 'live.db') } });
});
afterAll(() => db?.close());

describe('worker-side explorer requests', () => {
  it('registers every request of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual(
      ['events.get', 'events.query', 'events.timeline', 'quarantine.get', 'quarantine.query', 'report.build', 'report.cancel', 'report.export', 'report.progress'].sort(),
    );
  });

  it('validates arguments with the shared schemas', async () => {
    await expect(call('events.query', { limit: 0 })).rejects.toThrow(/events.query: limit/);
    await expect(call('events.query', { filter: { nope: 1 } })).rejects.toThrow(/events.query/);
    await expect(call('report.export', { format: 'docx' })).rejects.toThrow(/format/);
  });

  it('pages, shows detail and timelines', async () => {
    const page = await call('events.query', { limit: 10 });
    expect(page.rows).toHaveLength(10);
    const next = await call('events.query', { limit: 10, cursor: page.nextCursor });
    expect(next.rows[0].seq).not.toBe(page.rows[9].seq);
    const detail = await call('events.get', { seq: page.rows[0].seq });
    expect(detail.event?.json).toContain(page.rows[0].id);
    const t = await call('events.timeline', { paymentId: page.rows[0].paymentId });
    expect(t.steps.length).toBeGreaterThan(0);
  });

  it('exports into the exports folder beside the database unless the host gives a file', async () => {
    const job = await call('report.export', { format: 'json', from: Date.UTC(2026, 10, 2), to: Date.UTC(2026, 10, 5) });
    const state = await waitFor(async () => {
      const p = await call('report.progress', { jobId: job.jobId });
      return p.state !== 'running' && p;
    }, 'the JSON export to end');
    expect(state.state).toBe('done');
    expect(path.dirname(state.file!)).toBe(path.join(dir, 'exports'));
    const chosen = path.join(dir, 'chosen.csv');
    const job2 = await call('report.export', { format: 'csv', from: Date.UTC(2026, 10, 2), to: Date.UTC(2026, 10, 5), outFile: chosen });
    await waitFor(async () => (await call('report.progress', { jobId: job2.jobId })).state !== 'running', 'the CSV export to end');
    expect(fs.existsSync(chosen)).toBe(true);
  });
});
