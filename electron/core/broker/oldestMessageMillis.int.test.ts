// The oldest waiting message's age when its producer set the AMQP timestamp in milliseconds
// (amqplib's `timestamp: Date.now()`, a common slip: the field is POSIX seconds). RabbitMQ
// 3.10.8 passes the number through as head_message_timestamp (1796630508271 for a message a
// minute old), and the age read as 0 s: a backlog a minute old shown as fresh. Against the real
// broker and its management API.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueDepth } from '../../../shared/metrics';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

const queue = uniqueTopology('oldestms').queue;
const AGE_S = 90;
let conn: amqp.ChannelModel;
let stampedMs = 0;
const client = new ManagementClient(managementEndpoint(AMQP_URL));

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: false });
  stampedMs = Date.now() - AGE_S * 1000;
  for (let i = 0; i < 3; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`), { timestamp: stampedMs + i });
  await ch.waitForConfirms();
  await ch.close();
  // The API shows the head message's timestamp at the queue's next stats emission (every 5 s).
  await waitFor(async () => (await client.queue(queue).catch(() => null))?.head_message_timestamp === stampedMs, 'the management API to show the head timestamp', 15_000, 200);
}, 30_000);

afterAll(async () => {
  const ch = await conn.createChannel();
  await ch.deleteQueue(queue);
  await conn.close();
});

describe('oldest waiting message stamped in milliseconds', () => {
  it('is read as milliseconds: its age is about 90 s, not 0', async () => {
    const passive = new QueueDepthPoller([queue], () => conn, () => undefined);
    let samples: QueueDepth[] = [];
    const poller = new QueueStatsPoller({
      queues: [queue],
      management: new ManagementClient(managementEndpoint(AMQP_URL)),
      passive: (q) => passive.sample(q),
      onSamples: (s) => (samples = s),
      onStop: () => passive.stop(),
    });
    const before = Date.now();
    await poller.pollOnce();
    const after = Date.now();
    poller.stop();
    const s = samples.find((q) => q.queue === queue)!;
    expect(s.source).toBe('management');
    expect(s.oldestMessageAgeSeconds).toBeGreaterThanOrEqual((before - stampedMs) / 1000 - 1);
    expect(s.oldestMessageAgeSeconds).toBeLessThanOrEqual((after - stampedMs) / 1000 + 1);
  }, 10_000);
});
