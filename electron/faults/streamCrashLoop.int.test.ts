// A stream message that ends the process each time it is handled. A stream redelivers nothing:
// each new process read it again from the offset stored with the events, which never passed it,
// so it came back for ever (a crash loop), where a classic queue's is stopped by the redelivery
// guard (redeliveryGuard.int.test.ts). Real broker and stream queue, real SQLite file; each
// process (test/support/streamCrashLoopChild.ts, the real engine and consumer thread) is
// SIGKILLed when it handles the poison. The broker is not restarted.
import { spawn } from 'node:child_process';
import path from 'node:path';
import amqp from 'amqplib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from '../../test/support/broker';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { MAX_TAKE_ATTEMPTS } from '../core/broker/brokerConsumer';

const dir = tempDir('payops-stream-crashloop-');
const queue = `t.stream-crashloop.${process.pid}.${Date.now()}`;
const CHILD = path.resolve(__dirname, '../../test/support/streamCrashLoopChild.ts');

afterAll(async () => {
  const conn = await amqp.connect(AMQP_URL);
  try {
    await (await conn.createChannel()).deleteQueue(queue);
  } finally {
    await conn.close();
  }
});

async function publish(ids: string[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    for (const id of ids) {
      const e = paymentEvent('payment.authorized', { id });
      ch.sendToQueue(queue, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
    }
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

/** One process over `db`: 'killed' when it died on the poison, 'done' when it exited 0 past `lastOffset`. */
function run(db: string, lastOffset: number): Promise<{ end: 'killed' | 'done'; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CHILD, db, AMQP_URL, queue, 'scl-poison', String(lastOffset)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`the process neither died on the poison nor reached offset ${lastOffset} in 60 s:\n${log}`));
      else if (signal === 'SIGKILL') resolve({ end: 'killed', log });
      else if (code === 0) resolve({ end: 'done', log });
      else reject(new Error(`the process ended with ${code ?? signal}:\n${log}`));
    });
  });
}

describe('a stream message that ends the process each time it is handled', () => {
  it(`is quarantined unread at its ${MAX_TAKE_ATTEMPTS}th read; what was read beside it is stored, each once, and the offset moves past it`, async () => {
    // Offsets 0..3; the poison at 2.
    await publish(['scl-a', 'scl-b', 'scl-poison', 'scl-c']);
    const db = path.join(dir, 'stream.db');
    const ends: string[] = [];
    const logs: string[] = [];
    // Before the guard every process died on the poison: read again from offset 0 (or 2) for ever.
    for (let i = 0; i < 8 && ends[ends.length - 1] !== 'done'; i++) {
      const r = await run(db, 3);
      ends.push(r.end);
      logs.push(r.log);
    }
    expect(ends).toEqual(['killed', 'killed', 'killed', 'killed', 'done']);
    // From the fourth read, offsets 0..3 (what the earlier reads handed on) commit one at a time:
    // a and b are stored before the poison ends the fourth process.
    expect(logs[3]).toMatch(/read 4 times from offset 0 without storing it .*: offsets 0\.\.3 are committed one at a time/);
    expect(logs[4]).toMatch(/the message at offset 2 was read 5 times without being stored: quarantined unread/);
    const file = new Database(db, { readonly: true });
    try {
      expect([...storedIdentities(db).ids].map((k) => k.split('|')[1]).sort()).toEqual(['scl-a', 'scl-b', 'scl-c']);
      expect(storedIdentities(db).total).toBe(3);
      const quarantined = file.prepare('SELECT reason, CAST(body AS TEXT) AS body FROM quarantine').all() as { reason: string; body: string }[];
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0].reason).toMatch(/^read 5 times from stream offset 2 and never stored/);
      expect(JSON.parse(quarantined[0].body).id).toBe('scl-poison');
      expect(file.prepare('SELECT next_offset FROM stream_offsets').pluck().all()).toEqual([4]);
      expect(file.prepare('SELECT count(*) FROM stream_attempts').pluck().get()).toBe(0);
    } finally {
      file.close();
    }

    // Reading goes on as before: the next message is stored by the next process, nothing again.
    await publish(['scl-d']);
    expect((await run(db, 4)).end).toBe('done');
    expect(storedIdentities(db).total).toBe(4);
  }, 240_000);
});
