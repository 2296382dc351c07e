// A queue declared moments ago, polled through the real broker's management API: the API
// lists it before its first statistics (up to 5 s), with no message or consumer count. Its
// depth is read with a passive declare then, not shown as unknown. Its message and consumer
// counts come from separate statistics: a real HTTP server on loopback answers with one of
// them, as the broker does for a moment.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { answers, startLoopbackHttp } from '../../../test/support/fakeManagementServer';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

const topo = uniqueTopology('freshdepth');
const queues = [`${topo.queue}.classic`, `${topo.queue}.quorum`];
let conn: amqp.ChannelModel;

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queues[0], { durable: false });
  await ch.assertQueue(queues[1], { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (const q of queues) for (let i = 0; i < 3; i++) ch.sendToQueue(q, Buffer.from('x'));
  await ch.waitForConfirms();
  await ch.close();
});

afterAll(async () => {
  const ch = await conn.createChannel();
  for (const q of queues) await ch.deleteQueue(q);
  await conn.close();
});

describe('a queue the management API has no statistics for yet', () => {
  it('reports the depth and consumers of a passive declare, for one queue and for several', async () => {
    const management = new ManagementClient(managementEndpoint(AMQP_URL), { timeoutMs: 5000 });
    const passive = new QueueDepthPoller(queues, () => conn, () => undefined);
    const poll = (names: string[]) =>
      new QueueStatsPoller({ queues: names, management, passive: (q) => passive.sample(q), onSamples: () => undefined }).pollOnce();
    const [one] = (await poll([queues[0]]))!;
    const both = (await poll(queues))!;
    passive.stop();

    for (const s of [one, ...both]) {
      expect(s).toMatchObject({ messages: 3, consumers: 0, error: null, source: 'management' });
      expect(s.delaySeconds).toBeNull();
    }
  });

  it('a queue the API does not list (yet) but a passive declare finds has its depth, not "queue not found"', async () => {
    const http = await startLoopbackHttp(answers.status(404, '{"error":"Object Not Found","reason":"Not Found"}'));
    const passive = new QueueDepthPoller(queues, () => conn, () => undefined);
    try {
      const management = new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 });
      const poll = (names: string[]) =>
        new QueueStatsPoller({ queues: names, management, passive: (q) => passive.sample(q), onSamples: () => undefined }).pollOnce();
      const [one] = (await poll([queues[0]]))!;
      http.answer = answers.status(200, '{"items":[],"total_count":0}');
      const both = (await poll([...queues, `${topo.queue}.absent`]))!;
      for (const s of [one, both[0], both[1]]) expect(s).toMatchObject({ messages: 3, consumers: 0, error: null, source: 'amqp' });
      expect(both[2]).toMatchObject({ messages: null, error: 'queue not found' });
    } finally {
      passive.stop();
      await http.close();
    }
  });

  it('takes the consumer count from a passive declare when only the message count is there', async () => {
    const http = await startLoopbackHttp(
      answers.status(200, JSON.stringify({ name: queues[0], vhost: '/', type: 'classic', messages: 3, messages_ready: 3, messages_unacknowledged: 0 })),
    );
    const passive = new QueueDepthPoller([queues[0]], () => conn, () => undefined);
    try {
      const management = new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 });
      const poller = new QueueStatsPoller({ queues: [queues[0]], management, passive: (q) => passive.sample(q), onSamples: () => undefined });
      const [s] = (await poller.pollOnce())!;
      expect(s).toMatchObject({ messages: 3, ready: 3, consumers: 0, source: 'management' });
    } finally {
      passive.stop();
      await http.close();
    }
  });
});
