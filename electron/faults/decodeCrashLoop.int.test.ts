// A classic, quorum or stream queue message that ends the consumer thread while it is decoded,
// before it is handed on: neither the redelivery guard (it counts what reaches the engine) nor the
// stream guard (it counts reads when their first messages reach the engine) counted it, so each new
// consumer thread was delivered it first (a stream: read it again from the stored offset) and died
// again, restarted every 30 s at most for ever, the rest of the queue stuck behind it. The deaths are real: the
// process (test/support/decodeCrashLoopChild.ts, the real engine and consumer thread) runs with a
// small V8 heap, and a genuinely huge, valid JSON message exhausts the consumer thread's heap
// while it is parsed: the thread is terminated (ERR_WORKER_OUT_OF_MEMORY) and the engine starts
// another. A heap exhausted inside one allocation too big aborts the whole process instead (Node
// 20, whatever the worker's resourceLimits): such a death is counted the same, and the next
// process goes on from there. Real broker, real SQLite file; the broker is not restarted.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from '../../test/support/broker';
import { deleteQueues, eventBody, publishTo, type QueueType } from '../../test/support/crashLoopKit';
import { queueCountsNow, waitFor } from '../../test/support/faultKit';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { MAX_TAKE_ATTEMPTS } from '../core/broker/brokerConsumer';

const dir = tempDir('payops-decode-crashloop-');
const CHILD = path.resolve(__dirname, '../../test/support/decodeCrashLoopChild.ts');
/** The child's V8 heap (each thread's): below what the poison's parse needs, above what the rest needs. */
const HEAP_MB = 40;
/** The child's body limit: the poison is within it (a body over it is quarantined unread). */
const MAX_BODY_BYTES = 32 << 20;
/** Thread deaths in one process after which the loop is taken as endless (the guard ends it at 4). */
const ENDLESS_AFTER = 6;
const queues: string[] = [];

afterAll(() => deleteQueues(queues));

/** A valid payment event whose data also holds 800 rows of 10,000 zeros: 16 MB of text, about 80 MB once parsed. */
function poisonBody(id: string): Buffer {
  const e = paymentEvent('payment.authorized', { id });
  const text = JSON.stringify({ ...e, data: { ...e.data, note: '@' } });
  const row = `[${'0,'.repeat(9999)}0]`;
  return Buffer.from(text.replace('"@"', `[${`${row},`.repeat(799)}${row}]`));
}

const event = eventBody;
const publish = publishTo;

interface Run {
  /** 'done': drained the queue and exited 0; 'crashed': the process died on its heap; 'endless': killed after ENDLESS_AFTER thread deaths. */
  end: 'done' | 'crashed' | 'endless';
  /** Consumer threads that died on their heap (each started again by the engine). */
  threadDeaths: number;
  log: string;
}

const THREAD_DIED = /^consumer thread stopped: uncaught exception: Worker terminated due to reaching memory limit: JS heap out of memory; restarting it/gm;

/**
 * One process over `db`, until it drains the queue (a stream: reads it up to `lastOffset`), dies,
 * or its consumer thread has died ENDLESS_AFTER times.
 */
function run(db: string, queue: string, type: QueueType, lastOffset: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, '--require', require.resolve('tsx/cjs'), CHILD, db, AMQP_URL, queue, type, String(MAX_BODY_BYTES), String(lastOffset)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    const deaths = () => log.match(THREAD_DIED)?.length ?? 0;
    let endless = false;
    child.stderr!.on('data', (d) => {
      log += d;
      if (!endless && deaths() >= ENDLESS_AFTER) {
        endless = true;
        child.kill('SIGKILL');
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, 240_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`the process neither drained the queue nor died in 240 s:\n${log.slice(-4000)}`));
      else if (endless) resolve({ end: 'endless', threadDeaths: deaths(), log });
      else if (code === 0) resolve({ end: 'done', threadDeaths: deaths(), log });
      else if (/heap out of memory/.test(log.replace(THREAD_DIED, ''))) resolve({ end: 'crashed', threadDeaths: deaths(), log });
      else reject(new Error(`the process ended with ${code ?? signal}, not on its heap:\n${log.slice(-4000)}`));
    });
  });
}

// About 45 s of process deaths a case. A quorum queue marks a redelivery as a classic one does, and
// is guarded by the same path; a stream's reads past its committed received mark are suspected
// whether a thread or the whole process ended (streamDecodeCrashLoop.int.test.ts, in CI, kills the
// process): those two cases run under `npm run test:long`, keeping CI within its 20 minutes.
const TYPES: readonly QueueType[] = process.env.PAYOPS_LONG ? ['classic', 'quorum', 'stream'] : ['classic'];

describe.each(TYPES)('a %s queue message that ends the consumer each time it is decoded', (type) => {
  const delivered = type === 'stream' ? 'read' : 'delivered';
  it(`is quarantined unread at its ${MAX_TAKE_ATTEMPTS}th delivery; every other message stored once, the queue emptied (a stream: its offset past them)`, async () => {
    const queue = `t.decode-crashloop.${type}.${process.pid}.${Date.now()}`;
    queues.push(queue);
    const poisonId = `dcl-${type}-poison`;
    const others = ['a', 'b', 'c', 'd'].map((s) => `dcl-${type}-${s}`);
    await publish(queue, type, [event(others[0]), event(others[1]), poisonBody(poisonId), event(others[2]), event(others[3])]);
    const db = path.join(dir, `${type}.db`);
    const runs: Run[] = [];
    // Before the guard the consumer thread died on it for ever, restarted each time: bounded here.
    // Offsets 0..4 on a stream.
    do runs.push(await run(db, queue, type, 4));
    while (runs.length < 7 && runs[runs.length - 1].end === 'crashed');
    const last = runs[runs.length - 1];
    expect(last.end, runs.map((r) => `${r.end} after ${r.threadDeaths} thread deaths`).join(', ')).toBe('done');
    // The first delivery is not suspected; its three decodes as a redelivery are counted, each
    // committed before it began, and the fifth delivery is refused unread.
    expect(runs.reduce((n, r) => n + r.threadDeaths + (r.end === 'crashed' ? 1 : 0), 0)).toBe(MAX_TAKE_ATTEMPTS - 1);
    expect(last.log).toMatch(/a message whose decode ended the consumer thread 3 times: quarantined unread \(a crash loop stopped\)/);
    const file = new Database(db, { readonly: true });
    try {
      const ids = storedIdentities(db);
      expect([...ids.ids].map((k) => k.split('|')[1]).sort()).toEqual(others);
      expect(ids.total).toBe(others.length);
      const quarantined = file.prepare('SELECT reason, body FROM quarantine').all() as { reason: string; body: Buffer }[];
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0].reason).toMatch(new RegExp(`^${delivered} 5 times and never decoded`));
      expect(quarantined[0].reason).toMatch(/ 5 times and never decoded to the end: each of its last 3 decodes ended the consumer thread, or the process/);
      expect(quarantined[0].body.toString().startsWith(`{"specversion":"1.0","id":"${poisonId}"`)).toBe(true);
      expect(quarantined[0].body.byteLength).toBe(poisonBody(poisonId).byteLength);
      // Only the refused message keeps its count (a copy delivered again is refused unread too).
      expect(file.prepare('SELECT attempts FROM decode_attempts').pluck().all()).toEqual([4]);
      if (type === 'stream') expect(file.prepare('SELECT next_offset FROM stream_offsets').pluck().all()).toEqual([5]);
    } finally {
      file.close();
    }
    // Nothing ready or unacknowledged left (the management API's figures trail the queue by up to 5 s); a stream keeps what it holds.
    if (type !== 'stream') await waitFor(async () => (await queueCountsNow(queue)).messages === 0, 20_000, `queue ${queue} empty`, 500);

    // Consuming goes on as before.
    const later = `dcl-${type}-e`;
    await publish(queue, type, [event(later)]);
    expect((await run(db, queue, type, 5)).end).toBe('done');
    expect(storedIdentities(db).total).toBe(others.length + 1);
  }, 600_000);
});
