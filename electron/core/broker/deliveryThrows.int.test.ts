// BrokerConsumer hands each delivery to onDelivery (the ingest path) from amqplib's frame
// handler. The status and log listeners are guarded (dbb8867); onDelivery was not: one that
// threw threw out of amqplib's dispatch. Nothing lost is the rule (acknowledge only after the
// store commits), and the engine acknowledges with multiple=true up to a batch's newest tag:
// a message left unacknowledged among taken ones would be acknowledged with them, never
// stored. A delivery that throws is put back on the queue (nack, requeue) at once, the
// consumer goes on, and the message comes again.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, uniqueTopology } from '../../../test/support/broker';
import { waitFor } from '../../../test/support/waitFor';
import { DEFAULT_BROKER } from './brokerConfig';
import { BrokerConsumer, type Delivery } from './brokerConsumer';

const topo = uniqueTopology('deliverythrows');

beforeAll(async () => {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.assertQueue(topo.queue, { durable: true });
  await ch.close();
  await conn.close();
});

afterAll(async () => {
  await deleteTopology(topo);
});

async function publish(bodies: string[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (const b of bodies) ch.sendToQueue(topo.queue, Buffer.from(b));
  await ch.waitForConfirms();
  await conn.close();
}

async function queueDepth(): Promise<{ ready: number; consumers: number }> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ok = await (await conn.createChannel()).checkQueue(topo.queue);
    return { ready: ok.messageCount, consumers: ok.consumerCount };
  } finally {
    await conn.close();
  }
}

describe('BrokerConsumer when onDelivery throws', () => {
  it('puts that message back and goes on: the others are taken and acknowledged, it comes again, nothing uncaught', async () => {
    const escaped: unknown[] = [];
    const onEscaped = (reason: unknown): void => void escaped.push(reason);
    process.on('unhandledRejection', onEscaped);
    process.on('uncaughtException', onEscaped);
    const taken: Delivery[] = [];
    const logs: string[] = [];
    let failures = 0;
    const consumer = new BrokerConsumer(
      { ...DEFAULT_BROKER, url: AMQP_URL, exchange: topo.exchange, queue: topo.queue, prefetch: 10 },
      {
        onDelivery: (d) => {
          // The ingest path failing on one message, the first time it sees it.
          if (d.raw.body.toString() === 'bad' && failures++ === 0) throw new Error('ingest refused the delivery');
          taken.push(d);
        },
        log: (line) => void logs.push(line),
      },
    );
    try {
      await consumer.start();
      await publish(['m1', 'bad', 'm3']);
      const others = (): Delivery[] => taken.filter((d) => d.raw.body.toString() !== 'bad');
      await waitFor(() => others().length >= 2, () => `m1 and m3 taken (saw ${taken.map((d) => d.raw.body.toString()).join(',')}; ${escaped.length} uncaught: ${String(escaped[0])})`);
      // The engine commits what it took and acknowledges up to the newest tag (multiple=true).
      // m1 and m3 only: 'bad' comes again within a round trip, and taken by then (a poll late on
      // a loaded machine) it was acknowledged with them and then again (the broker closed the
      // channel: unknown delivery tag), and the test passed proving none of this.
      const newest = others().reduce((a, b) => (b.ack.tag > a.ack.tag ? b : a));
      expect(consumer.ackUpTo(newest.ack, 2)).toBe(true);
      // The message that failed comes again (it was not acknowledged with the others).
      await waitFor(() => taken.some((d) => d.raw.body.toString() === 'bad'), () => `bad delivered again (saw ${taken.map((d) => d.raw.body.toString()).join(',')}; state ${consumer.status.state})`);
      const again = taken.find((d) => d.raw.body.toString() === 'bad')!;
      expect(again.redelivered).toBe(true);
      expect(consumer.ackUpTo(again.ack, 1)).toBe(true);
      expect(taken.map((d) => d.raw.body.toString()).sort()).toEqual(['bad', 'm1', 'm3']);
      expect(consumer.status.state).toBe('connected');
      expect(consumer.inFlight).toBe(0);
      expect(logs.some((l) => /ingest refused the delivery/.test(l))).toBe(true);
      expect(escaped).toEqual([]);
      // The same consumer, still on the queue, takes what comes next.
      await publish(['m4']);
      await waitFor(() => taken.some((d) => d.raw.body.toString() === 'm4'), 'm4 taken');
      expect(consumer.ackUpTo(taken[taken.length - 1].ack, 1)).toBe(true);
      // All on the one channel: no acknowledgement refused, nothing started over.
      expect(new Set(taken.map((d) => d.ack.generation)).size).toBe(1);
      expect(logs.filter((l) => /channel error|reconnecting/.test(l))).toEqual([]);
    } finally {
      await consumer.stop();
      process.off('unhandledRejection', onEscaped);
      process.off('uncaughtException', onEscaped);
    }
    // Everything acknowledged: nothing left on the queue.
    expect(await queueDepth()).toEqual({ ready: 0, consumers: 0 });
  });
});
