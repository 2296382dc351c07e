import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { collectOutput, waitFor } from '../../../test/support/faultKit';
import { DatabaseOpenError } from './database';
import { leaseHeld, takeWriterLease } from './writerLease';

const dir = tempDir('payops-lease-');
const db = (name: string) => path.join(dir, `${name}.db`);

describe('the writer lease of a database', () => {
  it('one live session at a time; the next takes it once the first releases it', () => {
    const first = takeWriterLease(db('live'), 'exclusive');
    expect(() => takeWriterLease(db('live'), 'exclusive')).toThrow(DatabaseOpenError);
    expect(() => takeWriterLease(db('live'), 'exclusive')).toThrow(/another payops session is writing it/);
    expect(leaseHeld(db('live'))).toBe(true);
    first.release();
    expect(leaseHeld(db('live'))).toBe(false);
    takeWriterLease(db('live'), 'exclusive').release();
  });

  it('replays share it with each other, never with a live session', () => {
    const a = takeWriterLease(db('replays'), 'shared');
    const b = takeWriterLease(db('replays'), 'shared');
    expect(() => takeWriterLease(db('replays'), 'exclusive')).toThrow(/another payops session is writing it/);
    // A refused live session leaves nothing behind that would stop a third replay.
    takeWriterLease(db('replays'), 'shared').release();
    a.release();
    b.release();
    const live = takeWriterLease(db('replays'), 'exclusive');
    expect(() => takeWriterLease(db('replays'), 'shared')).toThrow(/a live payops session .* is writing it/);
    live.release();
  });

  it('a process killed with SIGKILL while holding it leaves no lease behind', async () => {
    const holder = spawn(
      process.execPath,
      ['-e', `const D = require(process.argv[1]); const d = new D(process.argv[2]); d.exec('BEGIN EXCLUSIVE'); console.log('held'); setInterval(() => {}, 1000);`, require.resolve('better-sqlite3'), `${db('killed')}-lease`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const out = collectOutput(holder);
    await waitFor(() => out.stdout().includes('held'), 10_000, 'the other process to hold the lease');
    expect(() => takeWriterLease(db('killed'), 'exclusive')).toThrow(DatabaseOpenError);
    holder.kill('SIGKILL');
    await out.exit;
    takeWriterLease(db('killed'), 'exclusive').release();
  });

  it('a database in memory, or a place where no sidecar can be made, has no lease to take', () => {
    takeWriterLease(':memory:', 'exclusive');
    takeWriterLease(':memory:', 'exclusive');
    takeWriterLease('/proc/payops-no-such/x.db', 'exclusive');
    takeWriterLease('/proc/payops-no-such/x.db', 'exclusive');
  });
});
