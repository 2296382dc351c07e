// Queue delay without the management API. The delay cell read depth over the deliver rate or
// the head message's timestamp, both from the management plugin; over AMQP alone (no API, or
// one that cannot be reached) a backlog showed no delay at all. The console's own queue is one
// it consumes: the newest message delivered to it says how long it waited (its delivery time
// minus the AMQP timestamp its producer set). Real broker, no management API.
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueDepth } from '../../../shared/metrics';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { waitFor } from '../../../test/support/waitFor';
import { DEFAULT_BROKER } from './brokerConfig';
import { BrokerConsumer } from './brokerConsumer';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

const topo = uniqueTopology('consumerdelay');
const WAITED_S = 30;
afterAll(async () => {
  const conn = await amqp.connect(AMQP_URL);
  await (await conn.createChannel()).deleteQueue(topo.queue);
  await conn.close();
});

describe('the delay of the console\'s own queue without the management API', () => {
  it('is the newest delivery\'s wait, from its producer\'s timestamp, said to come from the consumer', async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(topo.queue, { durable: true });
    // A backlog whose messages were stamped 30 s ago by their producer (AMQP timestamp, seconds).
    const stamped = Math.floor((Date.now() - WAITED_S * 1000) / 1000);
    for (let i = 0; i < 5; i++) ch.sendToQueue(topo.queue, Buffer.from(`m${i}`), { timestamp: stamped });
    await ch.waitForConfirms();
    await conn.close();

    // Prefetch 1 and nothing acknowledged: one message delivered, four wait.
    let delivered = 0;
    const consumer = new BrokerConsumer({ ...DEFAULT_BROKER, url: AMQP_URL, exchange: topo.exchange, queue: topo.queue, existingQueue: true, prefetch: 1 }, { onDelivery: () => void (delivered += 1) });
    const passive = new QueueDepthPoller([topo.queue], () => consumer.model, () => undefined);
    let samples: QueueDepth[] = [];
    const poller = new QueueStatsPoller({
      queues: [topo.queue],
      management: null,
      passive: (q) => passive.sample(q),
      deliveredWait: (q) => (q === topo.queue ? consumer.deliveredWait() : null),
      onSamples: (s) => (samples = s),
      onStop: () => passive.stop(),
    });
    try {
      await consumer.start();
      await waitFor(() => delivered === 1, 'one message delivered');
      await poller.pollOnce();
      const s = samples[0];
      expect(s).toMatchObject({ source: 'amqp', messages: 4, oldestMessageAgeFrom: 'consumer' });
      // Whole seconds stamped: it waited between 30 and 31 s (and a little for the delivery).
      expect(s.oldestMessageAgeSeconds).toBeGreaterThanOrEqual(WAITED_S - 1);
      expect(s.oldestMessageAgeSeconds).toBeLessThanOrEqual(WAITED_S + 3);
      expect(s.note).toMatch(/the management plugin/);
    } finally {
      poller.stop();
      await consumer.stop();
    }
  });
});
