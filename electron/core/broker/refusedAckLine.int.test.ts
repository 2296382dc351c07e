// A committed batch whose acknowledgement the consumer refuses (its channel is no longer the
// live one) was logged as "will be redelivered and deduplicated" whatever the queue. A stream
// read again from a put-back message (putBack: a new channel from that offset) refused the old
// channel's acknowledgements with that line each time: untrue, a stream delivers nothing again
// for an acknowledgement (its offset is stored with the batch). Real broker.
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, uniqueTopology, type TestTopology } from '../../../test/support/broker';
import { waitFor } from '../../../test/support/waitFor';
import type { QueueType } from '../../../shared/profiles';
import { DEFAULT_BROKER } from './brokerConfig';
import { BrokerConsumer, type Delivery } from './brokerConsumer';

const topologies: TestTopology[] = [];
afterEach(async () => {
  for (const t of topologies.splice(0)) await deleteTopology(t);
});

async function consuming(queueType: QueueType, bodies: string[]) {
  const topo = uniqueTopology(`refusedack${queueType}`);
  topologies.push(topo);
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(topo.queue, { durable: true, arguments: queueType === 'classic' ? {} : { 'x-queue-type': queueType } });
  for (const body of bodies) ch.sendToQueue(topo.queue, Buffer.from(body));
  await ch.waitForConfirms();
  await conn.close();
  const delivered: Delivery[] = [];
  const consumer = new BrokerConsumer(
    { ...DEFAULT_BROKER, url: AMQP_URL, exchange: topo.exchange, queue: topo.queue, queueType, existingQueue: true, prefetch: 50, streamOffset: 'first' },
    { onDelivery: (d) => void delivered.push(d) },
  );
  await consumer.start();
  await waitFor(() => delivered.length >= bodies.length, () => `${bodies.length} delivered (saw ${delivered.length})`);
  return { consumer, delivered };
}

describe('the line for a committed batch whose acknowledgement is refused', () => {
  it('is nothing for a stream channel replaced to read the stream again, and no redelivery for one that closed', async () => {
    const { consumer, delivered } = await consuming('stream', ['m1', 'm2', 'm3']);
    try {
      const [m1, m2] = delivered;
      consumer.putBack([m2], new Error('could not be posted'));
      await waitFor(() => delivered.some((d) => d.ack.generation > m1.ack.generation && d.raw.body.toString() === 'm2'), 'm2 delivered again on a new channel');
      // The engine commits m1 (delivered on the old channel) and acknowledges it.
      expect(consumer.ackUpTo(m1.ack, 1)).toBe(false);
      expect(consumer.refusedAckLine(m1.ack, 1)).toBeNull();

      const live = delivered[delivered.length - 1];
      await consumer.stop();
      expect(consumer.ackUpTo(live.ack, 2)).toBe(false);
      const line = consumer.refusedAckLine(live.ack, 2);
      expect(line).toBe("batch committed after its stream channel closed: 2 messages stored with the stream's offset, nothing is delivered again");
    } finally {
      await consumer.stop();
    }
  });

  it('says a classic queue delivers the batch again', async () => {
    const { consumer, delivered } = await consuming('classic', ['m1']);
    await consumer.stop();
    expect(consumer.ackUpTo(delivered[0].ack, 1)).toBe(false);
    expect(consumer.refusedAckLine(delivered[0].ack, 1)).toBe('batch committed but its channel died: 1 message will be redelivered and deduplicated');
  });
});
