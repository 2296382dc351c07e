// A collector whose database is restored from a copy, on the real broker's stream and real
// SQLite files, with a follower console running all along. A queue-fed collector's messages
// after the restore are new figures (the queue does not hand it the old events again): the
// follower applies them at once. A stream-fed collector re-reads its stream from the restored
// offset and republishes the same figures: the follower drops them until it passes its old
// high point, as before.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { AMQP_URL } from '../../../test/support/broker';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { incoming } from '../../../test/support/storedTextKit';
import { tempDir } from '../../../test/support/tempDir';
import { newConsoleId } from '../broker/consoleQueue';
import { openStore, type Store } from '../store/store';
import { MetricsFollower } from './metricsFollower';
import { MetricsPublisher } from './metricsPublisher';
import { recordMetricsOutbox } from './outboxHooks';
import { DEFAULT_STREAM_RETENTION } from './streamQueue';

const dir = tempDir('payops-restored-collector-');
const streams: string[] = [];
afterAll(() => deleteQueues(streams));

type Intake = 'stream' | 'queue';

/** One collector process on `file`: records the outbox with its own incarnation and publishes it. */
function collectorProcess(file: string, stream: string, intake: Intake, incarnation: string) {
  const store = openStore(file);
  recordMetricsOutbox(store, intake, Date.now, incarnation);
  const publisher = new MetricsPublisher({
    url: AMQP_URL,
    stream,
    retention: DEFAULT_STREAM_RETENTION,
    collector: store.meta.getOrCreate('console_id', newConsoleId),
    incarnation,
    store,
    log: () => undefined,
  });
  return {
    store,
    /** Commits one batch (one outbox message). */
    commit: (events: object[]) => store.ingest.commit(events.map((e, i) => incoming(e, Date.now() + i))),
    /** Publishes everything and closes the database. */
    async end(): Promise<void> {
      await publisher.stop(10_000);
      expect(store.metricsStream.outboxSize()).toBe(0);
      store.close();
    },
  };
}

const batch = (n: number) => Array.from({ length: n }, () => paymentEvent('payment.authorized'));

async function caughtUp(follower: MetricsFollower): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await follower.caughtUp())) {
    if (Date.now() > deadline) throw new Error('follower did not catch up within 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function scenario(intake: Intake) {
  const stream = `t.restored.${intake}.${randomUUID().slice(0, 8)}.metrics`;
  streams.push(stream);
  const conn = await amqp.connect(AMQP_URL);
  await (await conn.createChannel()).assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  await conn.close();
  const id = randomUUID().slice(0, 8);
  const cdb = path.join(dir, `${intake}-${id}-collector.db`);
  const backup = path.join(dir, `${intake}-${id}-collector.backup.db`);
  const logs: string[] = [];
  const fstore: Store = openStore(path.join(dir, `${intake}-${id}-follower.db`));
  const follower = new MetricsFollower({ url: AMQP_URL, stream, store: fstore, log: (l) => logs.push(l), flushMs: 20 });
  await follower.start();

  const first = collectorProcess(cdb, stream, intake, 'p1');
  first.commit(batch(2));
  first.commit(batch(3));
  await first.end();
  fs.copyFileSync(cdb, backup); // the operator's backup: two messages published, seq 1 and 2
  const second = collectorProcess(cdb, stream, intake, 'p2');
  const third = batch(5);
  second.commit(third);
  second.commit(batch(7));
  await second.end();
  await caughtUp(follower);
  expect(fstore.stats().byType).toEqual({ 'payment.authorized': 17 });

  // The database is restored from the backup; a new process starts on it.
  fs.copyFileSync(backup, cdb);
  const restored = collectorProcess(cdb, stream, intake, 'p3');
  return { stream, cdb, fstore, follower, logs, restored, third };
}

describe('a follower and a collector restored from a copy', () => {
  it('applies a queue-fed collector new figures at once after its database is restored', async () => {
    const { stream, cdb, fstore, follower, logs, restored } = await scenario('queue');
    try {
      restored.commit(batch(11)); // new traffic from its queue: seq 3 again, but new figures
      await restored.end();
      await caughtUp(follower);
      expect(fstore.stats().byType).toEqual({ 'payment.authorized': 28 });
      expect(follower.totals.rewoundDropped).toBe(0);
      expect(logs.join('\n')).toMatch(/collector \S+'s sequence went back from 4 to 3 .*reads a queue.*applied from sequence 3 on/);
      // Its next messages (seq 4, which the follower had from the old database) too.
      const later = collectorProcess(cdb, stream, 'queue', 'p4');
      later.commit(batch(13));
      await later.end();
      await caughtUp(follower);
      expect(fstore.stats().byType).toEqual({ 'payment.authorized': 41 });
      expect(logs.join('\n')).not.toMatch(/two collector processes/);
    } finally {
      await follower.stop();
      fstore.close();
    }
  }, 60_000);

  it('applies them too when the follower was stopped meanwhile (a new follower process on the same database)', async () => {
    const { stream, fstore, follower, logs, restored } = await scenario('queue');
    await follower.stop();
    restored.commit(batch(11));
    await restored.end();
    const again = new MetricsFollower({ url: AMQP_URL, stream, store: fstore, log: (l) => logs.push(l), flushMs: 20 });
    try {
      await again.start();
      await caughtUp(again);
      expect(fstore.stats().byType, logs.join('\n')).toEqual({ 'payment.authorized': 28 });
      expect(logs.join('\n')).toMatch(/reads a queue.*applied from sequence 3 on/);
    } finally {
      await again.stop();
      fstore.close();
    }
  }, 60_000);

  it('still drops a stream-fed collector republished figures until it passes its old high point', async () => {
    const { fstore, follower, logs, restored, third } = await scenario('stream');
    try {
      restored.commit(third); // re-read from the restored stream offset: the same events again, seq 3
      restored.commit(batch(7).map((e, i) => ({ ...e, id: `again-${i}-${randomUUID()}` }))); // stands in for the re-read seq 4
      restored.commit(batch(19)); // new: seq 5
      await restored.end();
      await caughtUp(follower);
      expect(fstore.stats().byType).toEqual({ 'payment.authorized': 36 });
      expect(follower.totals.rewoundDropped).toBe(2);
      expect(logs.join('\n')).toMatch(/sequence went back from 4 to 3 .*restored from a backup or copied/);
      expect(logs.join('\n')).not.toMatch(/two collector processes/);
    } finally {
      await follower.stop();
      fstore.close();
    }
  }, 60_000);
});

describe('a collector database copied and run twice at once', () => {
  it('says that two processes publish as one collector (its figures cannot be told apart)', async () => {
    const stream = `t.copied.${randomUUID().slice(0, 8)}.metrics`;
    streams.push(stream);
    const conn = await amqp.connect(AMQP_URL);
    await (await conn.createChannel()).assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    await conn.close();
    const adb = path.join(dir, 'copied-a.db');
    const bdb = path.join(dir, 'copied-b.db');
    const a = collectorProcess(adb, stream, 'queue', 'pa');
    a.commit(batch(1));
    await a.end();
    fs.copyFileSync(adb, bdb); // the operator sets up a second collector from the first one's database
    // Each commit published before the next one: the stream holds A2, B2, A3, B3.
    for (const [file, inc, n] of [[adb, 'pa2', 2], [bdb, 'pb', 3], [adb, 'pa2', 4], [bdb, 'pb', 5]] as const) {
      const p = collectorProcess(file, stream, 'queue', inc);
      p.commit(batch(n));
      await p.end();
    }
    const logs: string[] = [];
    const fstore = openStore(path.join(dir, 'copied-follower.db'));
    const follower = new MetricsFollower({ url: AMQP_URL, stream, store: fstore, log: (l) => logs.push(l), flushMs: 20 });
    try {
      await follower.start();
      await caughtUp(follower);
      const twice = logs.filter((l) => /published by two collector processes at once/.test(l));
      expect(twice, logs.join('\n')).toHaveLength(1);
      expect(twice[0]).toMatch(/pa2 and pb.*copied.*its own database/);
    } finally {
      await follower.stop();
      fstore.close();
    }
  }, 60_000);
});
