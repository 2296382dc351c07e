// A metrics stream deleted while its collector runs (an operator's clean-up, a policy, a
// mistaken `rabbitmqctl delete_queue`). The collector's confirm channel publishes through the
// default exchange: to a queue that is gone the broker drops the message and still confirms
// it. The outbox must not forget figures no stream holds. Real broker, real SQLite.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { AMQP_URL } from '../../../test/support/broker';
import { collectorAndFollower } from '../../../test/support/metricsFollowKit';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { incoming } from '../../../test/support/storedTextKit';
import { tempDir } from '../../../test/support/tempDir';
import { newConsoleId } from '../broker/consoleQueue';
import { openStore } from '../store/store';
import { MetricsFollower } from './metricsFollower';
import { MetricsPublisher } from './metricsPublisher';
import { recordMetricsOutbox } from './outboxHooks';
import { DEFAULT_STREAM_RETENTION } from './streamQueue';

const dir = tempDir('payops-deleted-stream-');
const stream = `t.deleted.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const batch = (n: number) => Array.from({ length: n }, () => paymentEvent('payment.authorized'));

describe('a collector whose metrics stream is deleted under it', () => {
  it('keeps what the broker dropped in the outbox, declares the stream again and publishes it there', async () => {
    const store = openStore(path.join(dir, 'collector.db'));
    recordMetricsOutbox(store, 'queue');
    const logs: string[] = [];
    const publisher = new MetricsPublisher({ url: AMQP_URL, stream, retention: DEFAULT_STREAM_RETENTION, collector: store.meta.getOrCreate('console_id', newConsoleId), store, log: (l) => logs.push(l) });
    const fstore = openStore(path.join(dir, 'follower.db'));
    const follower = new MetricsFollower({ url: AMQP_URL, stream, store: fstore, log: (l) => logs.push(l), flushMs: 20 });
    try {
      store.ingest.commit(batch(3).map((e) => incoming(e, Date.now())));
      publisher.kick();
      await until('first message confirmed', () => publisher.published === 1);

      await deleteQueues([stream]);
      store.ingest.commit(batch(5).map((e) => incoming(e, Date.now())));
      publisher.kick();
      // Either published to a stream that exists again, or still in the outbox: never "confirmed" into nothing.
      await until('second message confirmed', () => publisher.published === 2);
      const conn = await amqp.connect(AMQP_URL);
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      const exists = await ch.checkQueue(stream).then(
        () => true,
        () => false,
      );
      await conn.close().catch(() => undefined);
      expect(exists, logs.join('\n')).toBe(true);

      await follower.start();
      await until('follower caught up', () => follower.caughtUp());
      expect(fstore.stats().byType).toEqual({ 'payment.authorized': 5 });
    } finally {
      await follower.stop();
      await publisher.stop(2000);
      store.close();
      fstore.close();
    }
  }, 60_000);

  it('a follower running when its stream is deleted follows the stream declared again', async () => {
    const name = `t.deleted.follow.${randomUUID().slice(0, 8)}.metrics`;
    const { publisher, fstore, follower, logs, commit, close } = collectorAndFollower(dir, name, '2');
    try {
      for (const n of [2, 3]) commit(n);
      publisher.kick();
      await until('two messages confirmed', () => publisher.published === 2);
      await follower.start();
      await until('follower applied the first two', () => follower.totals.applied === 2);

      await deleteQueues([name]);
      commit(7);
      publisher.kick();
      await until('third message confirmed', () => publisher.published === 3);
      await until('follower applied the third', () => follower.totals.applied === 3).catch((err: Error) => {
        throw new Error(`${err.message}; state ${follower.status.state}; log:\n${logs.join('\n')}`);
      });
      expect(fstore.stats().byType).toEqual({ 'payment.authorized': 12 });
      expect(logs.join('\n')).toMatch(/deleted/);
    } finally {
      await close();
      await deleteQueues([name]);
    }
  }, 60_000);

  it('a follower stopped while its stream was deleted and filled again past its stored offset reads the new stream from its start', async () => {
    const name = `t.deleted.offline.${randomUUID().slice(0, 8)}.metrics`;
    const store = openStore(path.join(dir, 'collector3.db'));
    recordMetricsOutbox(store, 'queue');
    const logs: string[] = [];
    const publisher = new MetricsPublisher({ url: AMQP_URL, stream: name, retention: DEFAULT_STREAM_RETENTION, collector: store.meta.getOrCreate('console_id', newConsoleId), store, log: (l) => logs.push(l) });
    const fstore = openStore(path.join(dir, 'follower3.db'));
    const follow = () => new MetricsFollower({ url: AMQP_URL, stream: name, store: fstore, log: (l) => logs.push(l), flushMs: 20 });
    let follower = follow();
    try {
      for (const n of [1, 2, 3]) store.ingest.commit(batch(n).map((e) => incoming(e, Date.now())));
      publisher.kick();
      await until('three messages confirmed', () => publisher.published === 3);
      await follower.start();
      await until('follower caught up', () => follower.caughtUp());
      await follower.stop();
      expect(fstore.metricsStream.position(name).nextOffset).toBe(3);

      // Meanwhile: the stream is deleted, the collector declares it again and publishes five more.
      await deleteQueues([name]);
      for (const n of [10, 20, 30, 40, 50]) {
        store.ingest.commit(batch(n).map((e) => incoming(e, Date.now())));
        publisher.kick();
        await until('published', () => store.metricsStream.outboxSize() === 0);
      }
      follower = follow();
      await follower.start();
      await until('follower caught up again', () => follower.caughtUp());
      expect(fstore.stats().byType, logs.join('\n')).toEqual({ 'payment.authorized': 156 });
      expect(logs.join('\n')).toMatch(/is not the stream this database followed/);
    } finally {
      await follower.stop();
      await publisher.stop(2000);
      store.close();
      fstore.close();
      await deleteQueues([name]);
    }
  }, 60_000);
});
