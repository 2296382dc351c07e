// Ingest from a RabbitMQ stream queue, SIGKILLed at random moments and started again on the
// same database: the stream offset is stored in the transaction that stores the events, so
// each run resumes exactly after what is stored. Exactly once WITHOUT leaning on the
// (source, id) deduplication: no message is read twice, so no duplicate is even counted.
import amqp from 'amqplib';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { AMQP_URL } from '../../test/support/broker';
import { collectOutput, paddedEvents, sleep, waitFor } from '../../test/support/faultKit';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { mulberry32 } from '../core/sim/prng';

const dir = tempDir('payops-killstream-');
const queue = `t.kill-stream.${Date.now()}.${process.pid}`;

/** Reads one figure of the database, `fallback` while it does not exist or is not yet migrated. */
function read<T>(dbFile: string, sql: string, fallback: T): T {
  if (!fs.existsSync(dbFile)) return fallback;
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(sql).pluck().get(queue) as T | undefined) ?? fallback;
  } catch {
    return fallback;
  } finally {
    db.close();
  }
}
const storedOffset = (dbFile: string) => read<number | null>(dbFile, 'SELECT next_offset FROM stream_offsets WHERE queue = ?', null);
// The count only (storedIdentities reads every id; this is polled while the replay runs).
const storedCount = (dbFile: string) => read<number>(dbFile, 'SELECT COUNT(*) FROM event_log WHERE ? IS NOT NULL', 0);

afterAll(async () => {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.deleteQueue(queue).catch(() => undefined);
  await conn.close();
});

describe('stream ingest killed with SIGKILL at random moments', () => {
  it('resumes from the offset stored with the events: every message stored once, none read twice', async () => {
    const seed = Number(process.env.PAYOPS_KILL_SEED ?? Date.now() % 100000);
    const random = mulberry32(seed);
    const total = process.env.PAYOPS_LONG ? 200_000 : 60_000;
    const events = paddedEvents(total, 20);
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    for (const e of events) ch.sendToQueue(queue, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
    await ch.waitForConfirms();
    await conn.close();

    const db = path.join(dir, 'stream.db');
    // Small batches: many commits, so the kills land between and inside transactions.
    const args = ['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--stream-offset', 'first', '--db', db, '--append', '--batch-size', '1000', '--flush-ms', '50'];
    const progress: number[] = [];
    let kills = 0;
    // A fast machine stores the whole stream within a few runs: once it has, there is nothing
    // left to commit (and so no commit to wait for before the next kill).
    for (; kills < 4 && storedCount(db) < total; kills++) {
      const before = storedCount(db);
      const child = startPayops(args);
      const out = collectOutput(child);
      await waitFor(() => storedCount(db) > before || child.exitCode !== null, 60_000, 'the stream replay to commit', 20);
      await sleep(random() * 600);
      child.kill('SIGKILL');
      const code = await out.exit;
      if (code !== null && code !== 0) throw new Error(`stream replay exited ${code}: ${out.stderr()}`);
      progress.push(storedCount(db));
      // The stored offset is always the count of messages stored (offsets start at 0 on a new stream).
      expect(storedOffset(db)).toBe(storedCount(db));
    }
    expect(progress.some((n) => n > 0 && n < total), `stored after each kill: ${progress.join(', ')} (seed ${seed})`).toBe(true);

    const final = await runPayops([...args, '--drain', '--idle-ms', '2000', '--json'], {}, 120_000);
    expect(final.code, final.stderr).toBe(0);
    expect(final.stderr).toMatch(/resuming at offset \d+, stored with the events/);
    const summary = lastJson<{ events: number; duplicates: number }>(final.stdout);
    // Not one message was read again: no duplicate was even seen.
    expect({ seed, events: summary.events, duplicates: summary.duplicates }).toEqual({ seed, events: total, duplicates: 0 });
    const stored = storedIdentities(db);
    expect({ total: stored.total, distinct: stored.distinct }).toEqual({ total, distinct: total });
    for (const e of events) if (!stored.ids.has(`${e.source}|${e.id}`)) throw new Error(`lost ${e.source}|${e.id} (seed ${seed})`);
    expect(storedOffset(db)).toBe(total);
  }, 240_000);
});
