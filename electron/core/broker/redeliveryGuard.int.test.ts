// A message that ends the process each time it is handled, on a classic queue (which counts no
// deliveries): payops counted a message's failures in its memory, so each new process started
// again at 0 and the message came back for ever (a crash loop). Engines run in turn here over one
// SQLite file and the real broker; each "crashes" on the poison message: it stops without
// committing its batch or acknowledging anything, as a process that died (the broker delivers
// everything unacknowledged again, marked redelivered). The redelivery guard counts redeliveries
// in the database (migration 376), committed before a message is handed on.
import path from 'node:path';
import Database from 'better-sqlite3';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../../test/support/broker';
import { storedIdentities } from '../../../test/support/storedIds';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { paymentEvent } from '../../../bench/events';
import { decodeMessage } from '../../../shared/events/decode';
import { IngestPipeline } from '../ingest/ingestPipeline';
import { openStore } from '../store/store';
import { DEFAULT_BROKER, type NamedQueueConfig } from './brokerConfig';
import { BrokerConsumer, MAX_TAKE_ATTEMPTS } from './brokerConsumer';
import type { ReviewedDelivery } from './deliveryGuard';
import { RedeliveryGuard } from './redeliveryGuard';

const dir = tempDir('payops-redelivery-');
const t = uniqueTopology('redelivery-guard');
afterAll(() => deleteTopology(t));

async function ready(queue: string): Promise<number> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    return (await (await conn.createChannel()).checkQueue(queue)).messageCount;
  } finally {
    await conn.close();
  }
}

/**
 * One engine over `file`: deliveries through the guard into an ingest pipeline (one batch for
 * the lot, as a console's 25 ms one often is), committed alone when the guard says so (as
 * Engine does). It "crashes" when the poison reaches the pipeline: stops without committing
 * or acknowledging. Resolves with whether it crashed, once it crashed or the queue is empty (or,
 * `ackLost`, everything is stored and nothing acknowledged: it ends before its acknowledgements).
 */
async function engineRound(file: string, config: NamedQueueConfig, poison: string, ackLost = false): Promise<{ crashed: boolean; alone: string[] }> {
  const store = openStore(file);
  const guard = RedeliveryGuard.wire(store, config, () => undefined);
  let crashed = false;
  let consumer: BrokerConsumer | null = null;
  const alone: string[] = [];
  const pipeline = new IngestPipeline(store.ingest, { batchSize: 100, flushMs: 60_000, acknowledge: (token, count) => void (ackLost || consumer?.ackUpTo(token as never, count)) });
  let received = 0;
  consumer = new BrokerConsumer(config, {
    onDelivery: (d) => {
      received += 1;
      // Reviewed as the engine's intake does a chunk, before any of it is handed on: what came
      // behind the poison is reviewed, never handed on.
      const item: ReviewedDelivery = { raw: d.raw, redelivered: d.redelivered, decoded: decodeMessage(d.raw) };
      guard?.review([item]);
      if (crashed) return;
      guard?.handOn(item);
      const id = item.decoded.ok ? item.decoded.event.id : null;
      if (id === poison) {
        crashed = true;
        return;
      }
      if (item.alone) {
        alone.push(id ?? 'refused');
        pipeline.flush();
      }
      pipeline.push({ raw: item.raw, redelivered: item.redelivered, ackToken: d.ack, decoded: item.decoded });
      if (item.alone) pipeline.flush();
    },
  });
  try {
    await consumer.start();
    // Everything but the poison waits in the pipeline's batch: flushed only once the queue is
    // seen empty with nothing in flight but the batch (the run that gets past the poison).
    await waitFor(
      async () =>
        crashed ||
        ((await ready(config.queue)) === 0 &&
          (ackLost ? consumer!.inFlight === received && pipeline.flush() : pipeline.pending === consumer!.inFlight && pipeline.flush() && consumer!.inFlight === 0)),
      'a crash on the poison, or everything stored',
      8000,
    );
  } finally {
    pipeline.close();
    await consumer.stop();
    store.close();
  }
  return { crashed, alone };
}

describe('a message that ends the process each time, on a classic queue', () => {
  it(`is quarantined at its ${MAX_TAKE_ATTEMPTS}th delivery across processes; what was in flight beside it is stored, each once`, async () => {
    await prepareQueue(t, ['#']);
    const events = ['a', 'b', 'poison', 'c'].map((id) => paymentEvent('payment.authorized', { id: `rg-${id}` }));
    await publishAll(t.exchange, events.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })));
    const file = path.join(dir, 'crashloop.db');
    const config: NamedQueueConfig = { ...DEFAULT_BROKER, url: AMQP_URL, exchange: t.exchange, queue: t.queue, bindings: ['#'], prefetch: 10, initialRetries: 1 };

    const rounds: { crashed: boolean; alone: string[] }[] = [];
    // Before the guard every round crashed: the poison came back, unnoticed, for ever.
    // The process that gets past the poison ends before its acknowledgements go out (they are
    // lost): the next one is delivered everything again.
    for (let i = 0; i < 8 && (rounds.length === 0 || rounds[rounds.length - 1].crashed); i++) rounds.push(await engineRound(file, config, 'rg-poison', i === 4));
    rounds.push(await engineRound(file, config, 'rg-poison'));
    // The quarantined poison is not handed on again (its count was kept): no crash in the sixth.
    expect(rounds.map((r) => r.crashed)).toEqual([true, true, true, true, false, false]);
    // From its fourth delivery each message is committed alone: a and b (in flight beside the
    // poison, never stored while it crashed their batch) are stored in the fourth process; c,
    // behind it, was not handed on there (not counted), and is stored after it in the fifth.
    expect(rounds.slice(0, 3).map((r) => r.alone)).toEqual([[], [], []]);
    expect(rounds[3].alone).toEqual(['rg-a', 'rg-b']);
    expect(rounds[4].alone).toEqual(['refused', 'rg-c']);

    const stored = storedIdentities(file);
    expect({ total: stored.total, distinct: stored.distinct }).toEqual({ total: 3, distinct: 3 });
    const db = new Database(file, { readonly: true });
    try {
      const quarantined = db.prepare('SELECT reason, CAST(body AS TEXT) AS body FROM quarantine').all() as { reason: string; body: string }[];
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0].reason).toMatch(/^delivered 5 times and never stored/);
      expect(JSON.parse(quarantined[0].body).id).toBe('rg-poison');
      // Every count forgotten in the transaction that stored its message, but the poison's: it
      // stays, so that its copy delivered again is refused unread (and found held), not handled.
      expect(db.prepare('SELECT redeliveries FROM delivery_attempts').pluck().all()).toEqual([5]);
    } finally {
      db.close();
    }
    expect(await ready(t.queue)).toBe(0);
  }, 20_000);
});

// Copies of one message (a publisher that retried: the same routing key and body) are one
// message to the guard. Counted one by one in a chunk delivered again, ten copies in flight at
// a restart made their 4th and later copies "delivered 5 times": quarantined, although no
// process had ever failed on them. Real store; the chunk as the intake hands it over.
describe('copies of one message delivered again together', () => {
  it('count once per process: none is refused, none committed alone', () => {
    const store = openStore(path.join(dir, 'copies.db'));
    try {
      const config = { queue: 'copies.q', queueType: 'classic' as const };
      const guard = RedeliveryGuard.wire(store, config, () => undefined)!;
      const body = JSON.stringify(paymentEvent('payment.authorized', { id: 'rg-copy' }));
      const copies = (): ReviewedDelivery[] =>
        Array.from({ length: 10 }, () => {
          const raw = { body: Buffer.from(body), routingKey: 'payment.authorized', contentType: null, headers: null, arrivalMs: Date.now() };
          return { raw, redelivered: true, decoded: decodeMessage(raw) };
        });
      const items = copies();
      guard.review(items);
      items.forEach((d) => guard.handOn(d));
      expect(items.map((d) => [d.decoded.ok, d.alone ?? false])).toEqual(items.map(() => [true, false]));
      // The next process (nothing stored by this one) counts them once more: 2 redeliveries.
      const next = RedeliveryGuard.wire(store, config, () => undefined)!;
      const again = copies();
      next.review(again);
      again.forEach((d) => next.handOn(d));
      expect(again.every((d) => d.decoded.ok && !d.alone)).toBe(true);
    } finally {
      store.close();
    }
  });
});
