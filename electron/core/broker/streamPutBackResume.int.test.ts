// Also: a stream deleted and created again while it is read (at the end).
// A stream message put back (its chunk could not be posted to the engine thread) is read again
// from its offset; the engine stores, with every batch, the offset after the batch's newest
// message (streamResume.ts). When the messages after the put-back one were still posted, their
// batch stored an offset past it, and a console stopped before the re-read resumed past it:
// never stored. Real broker, real store (temp file), the real resume path; the seam is the sink
// (the engine's side of the port), which commits each chunk at once, as a batch would.
import amqp from 'amqplib';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { AMQP_URL, deleteTopology, uniqueTopology, type TestTopology } from '../../../test/support/broker';
import { storedIdentities } from '../../../test/support/storedIds';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { resumeStream } from '../engine/streamResume';
import { openStore, type Store } from '../store/store';
import { DEFAULT_BROKER, type NamedQueueConfig } from './brokerConfig';
import { BrokerConsumer, type Delivery } from './brokerConsumer';
import { streamOffsetOf } from './streamOffsetHeader';
import { DeliveryChunker } from './deliveryChunks';

const topologies: TestTopology[] = [];
afterEach(async () => {
  for (const t of topologies.splice(0)) await deleteTopology(t);
});

/** One session on `file`: a store, the resume path, a chunker committing each chunk at once, a consumer; `afterPutBack` runs after each put-back. */
function session(file: string, queue: string, refuse: (ids: string[], headers: (Record<string, unknown> | null)[]) => boolean, afterPutBack?: () => void) {
  const store: Store = openStore(file);
  const logs: string[] = [];
  const log = (line: string): void => void logs.push(line);
  const committed: string[] = [];
  let refusals = 0;
  const config: NamedQueueConfig = resumeStream(
    store,
    { ...DEFAULT_BROKER, url: AMQP_URL, queue, queueType: 'stream', existingQueue: true, prefetch: 50, streamOffset: 'first' },
    log,
  );
  // eslint-disable-next-line prefer-const -- the chunker's sink and the consumer refer to each other
  let consumer: BrokerConsumer;
  const chunker = new DeliveryChunker({
    post: (chunk) => {
      const items = [...chunk.tags].map((_, i) => ({
        raw: {
          body: Buffer.from(chunk.bodies, chunk.offsets[i], chunk.offsets[i + 1] - chunk.offsets[i]),
          headers: chunk.headers[i],
          contentType: chunk.contentTypes[i],
          routingKey: chunk.routingKeys[i],
          arrivalMs: chunk.arrivalMs[i],
        },
        result: chunk.decoded[i],
      }));
      const ids = items.map((m) => (m.result.ok ? m.result.event.id : '?'));
      if (refuse(ids, chunk.headers)) {
        refusals += 1;
        throw new DOMException('could not be cloned', 'DataCloneError');
      }
      store.ingest.commit(items);
      committed.push(...ids);
      const token = { generation: chunk.generation, tag: chunk.tags[chunk.tags.length - 1] };
      setImmediate(() => consumer.ackUpTo(token, chunk.tags.length));
    },
    putBack: (items, err) => {
      consumer.putBack(items, err);
      afterPutBack?.();
    },
    wanted: (d) => consumer.wanted(d),
  });
  consumer = new BrokerConsumer(config, { onDelivery: (d) => chunker.add(d), quarantine: (d, reason) => chunker.quarantine(d, reason), log });
  return { store, consumer, logs, committed, refusals: () => refusals };
}

const ids = ['s1', 'bad', 's3', 's4', 's5'];

describe('a stream message put back, the console stopped before it is read again', () => {
  it('is read again from the stored offset after the restart and stored exactly once', async () => {
    const topo = uniqueTopology('streamputback');
    topologies.push(topo);
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(topo.queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    // Published before the consumer starts: the stream delivers them together, in one chunk.
    for (const id of ids) ch.sendToQueue(topo.queue, Buffer.from(JSON.stringify(paymentEvent('payment.authorized', { id, source: 'test/putback' }))));
    await ch.waitForConfirms();
    await conn.close();
    const file = path.join(tempDir('streamputback'), 'live.db');

    // First session: the engine cannot take 'bad' (its chunk cannot be posted); it stops as
    // 'bad' is put back, before the stream is read again from it. Stopped by a poll instead, it
    // raced the re-reads (a few ms each): a poll 0.8 s late saw 'bad' quarantined at its 5th
    // failure and the stored place past it.
    let stopped: Promise<void> | null = null;
    const first = session(
      file,
      topo.queue,
      (chunkIds) => chunkIds.includes('bad'),
      () => void (stopped ??= first.consumer.stop()),
    );
    try {
      await first.consumer.start();
      await waitFor(() => stopped !== null, 'bad put back');
    } finally {
      await (stopped ?? first.consumer.stop());
    }
    // Refused in its chunk with the others, then alone: put back once, never read again.
    expect(first.refusals()).toBeLessThanOrEqual(2);
    expect(first.committed).not.toContain('bad');
    // 'bad' is at offset 1: the stored place must not pass it.
    expect(first.store.streamOffsets.next(topo.queue) ?? 0).toBeLessThanOrEqual(1);
    first.store.close();

    // Second session on the same database: it resumes at the stored offset and takes everything.
    const second = session(file, topo.queue, () => false);
    try {
      await second.consumer.start();
      await waitFor(
        () => ids.every((id) => second.committed.includes(id) || first.committed.includes(id)),
        () => `every message stored (first session ${first.committed.join(',')}; second ${second.committed.join(',')}; ${second.logs.join(' | ')})`,
        3000,
      );
    } finally {
      await second.consumer.stop();
      second.store.close();
    }
    // Exactly once: one row per message, none missing.
    const stored = storedIdentities(file);
    expect(stored.total).toBe(ids.length);
    expect([...stored.ids].sort()).toEqual(ids.map((id) => `test/putback|${id}`).sort());
  });
});

// A stream message the consumer gave up on is quarantined without its headers when they are what
// cannot be posted, and with them went its x-stream-offset: a batch holding only it stored no
// place, so every restart read it again and quarantined it once more.
describe('a stream message quarantined without its headers', () => {
  it('moves the stored place past it', async () => {
    const topo = uniqueTopology('streamquarantined');
    topologies.push(topo);
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(topo.queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    ch.sendToQueue(topo.queue, Buffer.from(JSON.stringify(paymentEvent('payment.authorized', { id: 's1', source: 'test/putback' }))));
    ch.sendToQueue(topo.queue, Buffer.from('poison'), { headers: { unclonable: 'yes' } });
    await ch.waitForConfirms();
    await conn.close();
    const file = path.join(tempDir('streamquarantined'), 'live.db');
    const s = session(file, topo.queue, (_ids, headers) => headers.some((h) => h?.unclonable !== undefined));
    try {
      await s.consumer.start();
      await waitFor(() => s.committed.length === 2, () => `s1 stored and poison quarantined (${s.committed.join(',')}; ${s.refusals()} refusals)`);
    } finally {
      await s.consumer.stop();
    }
    // poison is at offset 1: the place after it is 2.
    expect(s.store.streamOffsets.next(topo.queue)).toBe(2);
    s.store.close();
  });
});

// A stream deleted and created again under its name while payops reads it (an operator's
// clean-up, a tool that re-creates it): the consumer is cancelled and reconnects, declaring the
// stream again. It resumed at the offset after the newest message it was delivered, kept in
// memory, unchecked: on the new stream (its offsets start again at 0) RabbitMQ attached it at
// that offset and skipped, in silence, every message published before it (streamStart.ts says
// why). The check a start makes against the stream now runs on each reconnect too.
async function onChannel(fn: (ch: amqp.ConfirmChannel) => Promise<unknown>): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    await fn(await conn.createConfirmChannel());
  } finally {
    await conn.close();
  }
}

const publishTo = (queue: string, bodies: string[]) =>
  onChannel(async (ch) => {
    for (const b of bodies) ch.sendToQueue(queue, Buffer.from(b));
    await ch.waitForConfirms();
  });

describe('a stream deleted and created again while it is read', () => {
  it('is read from its first offset after the reconnect: nothing published to the new stream is skipped', async () => {
    const recreated = uniqueTopology('streamrecreated');
    topologies.push(recreated);
    const delivered: Delivery[] = [];
    const logs: string[] = [];
    const consumer = new BrokerConsumer(
      { ...DEFAULT_BROKER, url: AMQP_URL, exchange: recreated.exchange, queue: recreated.queue, queueType: 'stream', streamOffset: 'first', prefetch: 50, initialRetries: 1 },
      { onDelivery: (d) => void delivered.push(d), log: (l) => void logs.push(l) },
    );
    const bodies = () => delivered.map((d) => d.raw.body.toString());
    try {
      await consumer.start();
      await publishTo(recreated.queue, ['old-0', 'old-1', 'old-2', 'old-3', 'old-4', 'old-5']);
      await waitFor(() => delivered.length === 6, () => `the old stream's 6 messages (${bodies().join(',')})`);
      const generation = delivered[5].ack.generation;
      // Deleted and declared again at once, by another tool, which publishes to it: the consumer,
      // cancelled by the broker, reconnects to the new stream (an empty one is waited on 3 s
      // before it is taken as empty, where it ends being known only by reading it).
      await onChannel(async (ch) => {
        await ch.deleteQueue(recreated.queue);
        await ch.assertQueue(recreated.queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
      });
      await publishTo(recreated.queue, ['new-0', 'new-1', 'new-2']);
      await waitFor(() => bodies().includes('new-2'), () => `the new stream's messages (delivered: ${bodies().join(',')}; log: ${logs.join(' | ')})`, 4000);
      const fresh = delivered.filter((d) => d.ack.generation > generation);
      expect(fresh.map((d) => [d.raw.body.toString(), streamOffsetOf(d.raw.headers)])).toEqual([
        ['new-0', 0],
        ['new-1', 1],
        ['new-2', 2],
      ]);
    } finally {
      await consumer.stop();
    }
  });
});
