// Another connection holding the write lock (payops's own notification log, a second payops on
// the file) makes an ingest batch wait for it, up to the busy timeout, instead of failing at once.
// A deferred transaction that had read before the other one committed got SQLITE_BUSY without
// waiting, and ingest paused ("database locked by another process").
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { tempDir } from '../../../test/support/tempDir';
import type { IncomingMessage } from './eventWriter';
import { openStore } from './store';

const dir = tempDir('payops-writer-lock-');
const HOLD_MS = 700;

const message = (i: number): IncomingMessage => {
  const e = { specversion: '1.0', id: `e${i}`, source: 's', type: 'payment.authorized', time: new Date().toISOString(), data: { paymentId: `p${i}`, merchantId: 'm', amount: 100, currency: 'EUR' } };
  const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: null, routingKey: null, arrivalMs: Date.now() };
  return { raw, result: decodeMessage(raw) };
};

/** A second process that takes the write lock, says so, holds it HOLD_MS, writes and commits. */
function holdWriteLock(file: string): { locked: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
       db.exec('BEGIN IMMEDIATE'); db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('held_by', 'another process')").run();
       console.log('locked'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${HOLD_MS}); db.exec('COMMIT');`,
      file,
    ],
    { cwd: path.resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const locked = new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('locked') && resolve()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { locked, exited };
}

describe('an ingest batch while another connection holds the write lock', () => {
  const store = openStore(path.join(dir, 'locked.db'));
  afterAll(() => store.close());

  it('waits for the lock and commits, with what the other connection wrote kept', async () => {
    store.ingest.commit([message(0)]); // the writer has read and written before
    const other = holdWriteLock(path.join(dir, 'locked.db'));
    await other.locked;
    const started = Date.now();
    const out = store.ingest.commit([message(1), message(2)]);
    expect(out.inserted).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(HOLD_MS / 2);
    expect(await other.exited).toBe(0);
    expect(store.stats().events).toBe(3);
    const reader = new Database(path.join(dir, 'locked.db'), { readonly: true });
    expect(reader.prepare("SELECT value FROM meta WHERE key = 'held_by'").pluck().get()).toBe('another process');
    reader.close();
  });
});
