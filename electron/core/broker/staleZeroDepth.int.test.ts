// The management API's figures for a queue are what the queue last emitted (every 5 s by
// default). A queue that emitted its first statistics while empty and was then published to
// reads `messages: 0` for up to 5 s while its messages wait: polled then, the console showed
// a backlog as an empty queue (freshQueueDepth.int.test.ts failed that way under load). A zero
// (or absent) depth from the API is now checked with a passive declare, which is current.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { answers, startLoopbackHttp } from '../../../test/support/fakeManagementServer';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

const topo = uniqueTopology('stalezero');
const held = `${topo.queue}.held`;
const late = `${topo.queue}.late`;
let conn: amqp.ChannelModel;

async function publish(queue: string, count: number): Promise<void> {
  const ch = await conn.createConfirmChannel();
  for (let i = 0; i < count; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
  await ch.waitForConfirms();
  await ch.close();
}

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.assertQueue(held, { durable: false });
  await ch.assertQueue(late, { durable: false });
  await ch.close();
  await publish(held, 3);
});

afterAll(async () => {
  const ch = await conn.createChannel();
  for (const q of [held, late]) await ch.deleteQueue(q);
  await conn.close();
});

function pollerOf(management: ManagementClient, queue: string): { poller: QueueStatsPoller; passive: QueueDepthPoller } {
  const passive = new QueueDepthPoller([queue], () => conn, () => undefined);
  const poller = new QueueStatsPoller({ queues: [queue], management, passive: (q) => passive.sample(q), onSamples: () => undefined, onStop: () => passive.stop() });
  return { poller, passive };
}

describe('a depth of 0 from management statistics older than the messages', () => {
  it('an entry saying 0 (with or without its consumer count) for a queue holding 3 shows 3 ready, unacknowledged unknown', async () => {
    // The API's answer for a queue whose last statistics predate its messages: all figures present, all zero.
    const stale = { name: held, vhost: '/', type: 'classic', messages: 0, messages_ready: 0, messages_unacknowledged: 0, consumers: 0 };
    const http = await startLoopbackHttp(answers.status(200, JSON.stringify(stale)));
    const { poller } = pollerOf(new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 }), held);
    try {
      const [full] = (await poller.pollOnce())!;
      // The passive declare counts ready messages alone: the API's unacknowledged figure is as
      // stale as its 0 and is not kept beside the current count (unknown, not a number).
      expect(full).toMatchObject({ messages: 3, ready: 3, unacked: null, consumers: 0, source: 'management', error: null });
      // The first statistics a queue emits carry the counts without the consumers.
      http.answer = answers.status(200, JSON.stringify({ ...stale, consumers: undefined }));
      const [coarse] = (await poller.pollOnce())!;
      expect(coarse).toMatchObject({ messages: 3, ready: 3, consumers: 0, source: 'management', error: null });
      // Statistics without the consumer count (checked with the passive declare), from when 2
      // messages were out with a consumer since gone: not shown as unacknowledged now.
      http.answer = answers.status(200, JSON.stringify({ ...stale, messages: 2, messages_ready: 0, messages_unacknowledged: 2, consumers: undefined }));
      const [unackedBefore] = (await poller.pollOnce())!;
      expect(unackedBefore).toMatchObject({ messages: 3, ready: 3, unacked: null, source: 'management', error: null });
    } finally {
      poller.stop();
      await http.close();
    }
  });

  it('the real broker: a queue published to after its first statistics said 0 shows its messages at once', async () => {
    const management = new ManagementClient(managementEndpoint(AMQP_URL), { timeoutMs: 10_000 });
    // Wait until the API has statistics for the empty queue, then publish: they say 0 until the next emission.
    await waitFor(async () => (await management.queue(late)).messages === 0, `the management API listing ${late} with 0 messages`, 20_000, 100);
    await publish(late, 4);
    const { poller } = pollerOf(management, late);
    try {
      const [s] = (await poller.pollOnce())!;
      expect(s).toMatchObject({ messages: 4, source: 'management', error: null });
    } finally {
      poller.stop();
    }
  });
});
