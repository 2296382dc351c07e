// A stream message that ends the whole process while the consumer thread decodes it, before it
// reaches the engine. The stream guard (streamAttemptGuard.ts) counts reads when their chunks reach
// the engine, and the decode guard (decodeGate.ts) suspected only what a consumer thread that ended
// earlier in the same process had received (the engine held that in memory): a new process read
// the stream again from the stored offset, decoded the poison first as if new, and died again, for
// ever, the stream stuck behind it. Now how far a thread receives is committed (migration 386)
// before it decodes there, so a new process finds the unfinished attempt and decodes those offsets
// one at a time, each counted first. Real broker and stream queue, real SQLite file; each process
// (test/support/streamCrashLoopChild.ts, the real engine and consumer thread) is SIGKILLed by its
// consumer thread when it parses the poison (dieOnParseHook.ts, a test-only hook). The broker is not
// restarted.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteQueues, eventBody, publishTo, runStreamCrashLoopChild } from '../../test/support/crashLoopKit';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { MAX_TAKE_ATTEMPTS } from '../core/broker/brokerConsumer';

const dir = tempDir('payops-stream-decode-crashloop-');
/** Processes after which the loop is taken as endless (the guard ends it at MAX_TAKE_ATTEMPTS). */
const ENDLESS_AFTER = MAX_TAKE_ATTEMPTS + 3;
const queues: string[] = [];

afterAll(() => deleteQueues(queues));

const publish = (queue: string, ids: string[]) => publishTo(queue, 'stream', ids.map(eventBody));
const run = (db: string, queue: string, poison: string, lastOffset: number, timeoutMs?: number) => runStreamCrashLoopChild(db, queue, poison, lastOffset, true, timeoutMs);

/** Publishes `ids` (the poison among them) and runs processes until one reads to the end, ENDLESS_AFTER at most. */
async function crashLoop(name: string, ids: string[], poison: string, timeoutMs?: number): Promise<{ queue: string; db: string; ends: string[]; logs: string[] }> {
  const queue = `t.stream-decode-crashloop.${name}.${process.pid}.${Date.now()}`;
  queues.push(queue);
  await publish(queue, ids);
  const db = path.join(dir, `${name}.db`);
  const ends: string[] = [];
  const logs: string[] = [];
  // Before the fix every process died decoding the poison, read again from the stored offset.
  while (ends.length < ENDLESS_AFTER && ends[ends.length - 1] !== 'done') {
    const r = await run(db, queue, poison, ids.length - 1, timeoutMs);
    ends.push(r.end);
    logs.push(r.log);
  }
  return { queue, db, ends, logs };
}

describe('a stream message that ends the whole process each time it is decoded', () => {
  it(`is quarantined unread at its ${MAX_TAKE_ATTEMPTS}th read, naming stream and offset; every other message stored once, the offset past it`, async () => {
    // Offsets 0..4; the poison at 2.
    const poison = 'sdcl-poison';
    const { queue, db, ends, logs } = await crashLoop('short', ['sdcl-a', 'sdcl-b', poison, 'sdcl-c', 'sdcl-d'], poison);
    // The first read is not suspected; its next three, each counted before the decode, die too; the fifth refuses it.
    expect(ends).toEqual([...Array(MAX_TAKE_ATTEMPTS - 1).fill('killed'), 'done']);
    expect(logs[1]).toMatch(new RegExp(`stream ${queue.replace(/\./g, '\\.')}: a read that ended the process left offsets 0\\.\\.\\d+ unfinished: decoded one at a time, each counted first`));
    expect(logs[MAX_TAKE_ATTEMPTS - 1]).toMatch(/a message whose decode ended the consumer thread 3 times: quarantined unread \(a crash loop stopped\)/);
    const file = new Database(db, { readonly: true });
    try {
      const ids = storedIdentities(db);
      expect([...ids.ids].map((k) => k.split('|')[1]).sort()).toEqual(['sdcl-a', 'sdcl-b', 'sdcl-c', 'sdcl-d']);
      expect(ids.total).toBe(4);
      const quarantined = file.prepare('SELECT reason, CAST(body AS TEXT) AS body FROM quarantine').all() as { reason: string; body: string }[];
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0].reason).toMatch(/^read 5 times and never decoded to the end: each of its last 3 decodes ended the consumer thread, or the process/);
      expect(quarantined[0].reason).toContain(`(stream ${queue}, offset 2)`);
      expect(JSON.parse(quarantined[0].body).id).toBe(poison);
      expect(file.prepare('SELECT next_offset FROM stream_offsets').pluck().all()).toEqual([5]);
      // Only the refused message keeps its count; the clean stop left no unfinished attempt.
      expect(file.prepare('SELECT attempts FROM decode_attempts').pluck().all()).toEqual([MAX_TAKE_ATTEMPTS - 1]);
      expect(file.prepare('SELECT count(*) FROM stream_received').pluck().get()).toBe(0);
    } finally {
      file.close();
    }

    // Reading goes on as before: the next message is stored by the next process, nothing again, nothing decoded alone.
    await publish(queue, ['sdcl-e']);
    const after = await run(db, queue, poison, 5);
    expect(after.end).toBe('done');
    expect(after.log).not.toMatch(/decoded one at a time/);
    expect(storedIdentities(db).total).toBe(5);
  }, 240_000);

  it.runIf(process.env.PAYOPS_LONG)('with 3,000 messages each side of the poison, still stores every other one once', async () => {
    const before = Array.from({ length: 3000 }, (_, i) => `sdcl-long-a${i}`);
    const after = Array.from({ length: 3000 }, (_, i) => `sdcl-long-b${i}`);
    const poison = 'sdcl-long-poison';
    const { db, ends } = await crashLoop('long', [...before, poison, ...after], poison, 300_000);
    expect(ends[ends.length - 1]).toBe('done');
    expect(ends.length).toBeLessThanOrEqual(MAX_TAKE_ATTEMPTS);
    const ids = storedIdentities(db);
    expect(ids.total).toBe(6000);
    expect(ids.distinct).toBe(6000);
    const file = new Database(db, { readonly: true });
    try {
      expect(file.prepare('SELECT next_offset FROM stream_offsets').pluck().all()).toEqual([6001]);
      expect(file.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(1);
    } finally {
      file.close();
    }
  }, 600_000);
});
