// The management poller asks for the passive declares of its queues all at once (when the API
// fails, or to check a depth of 0). They share one channel, and a passive declare of a missing
// queue closes it (404). Run side by side, each call that found no channel opened its own and
// only the last was kept (the others leaked, one more set each poll that a missing queue closed
// the channel, until the connection ran out of channels), and the 404 closed the channel the
// other queues' declares were on, so queues that exist read as errors.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { QueueDepthPoller } from './queueDepthPoller';

const topo = uniqueTopology('passiveshared');
const present = [`${topo.queue}.a`, `${topo.queue}.b`, `${topo.queue}.c`];
const absent = `${topo.queue}.absent`;
const CHANNEL_MAX = 16;
let conn: amqp.ChannelModel;

beforeAll(async () => {
  // Few channels, so a leak shows within a few polls.
  conn = await amqp.connect(`${AMQP_URL}${AMQP_URL.includes('?') ? '&' : '?'}channelMax=${CHANNEL_MAX}`);
  const ch = await conn.createChannel();
  for (const [i, q] of present.entries()) {
    await ch.assertQueue(q, { durable: false });
    for (let n = 0; n <= i; n++) ch.sendToQueue(q, Buffer.from('x'));
  }
  await ch.close();
});

afterAll(async () => {
  const ch = await conn.createChannel();
  for (const q of present) await ch.deleteQueue(q);
  await conn.close();
});

describe('passive declares run side by side, one queue missing', () => {
  it('each existing queue has its depth on every poll, and the channels do not run out', async () => {
    const queues = [present[0], absent, present[1], present[2]];
    const poller = new QueueDepthPoller(queues, () => conn, () => undefined);
    try {
      for (let round = 0; round < 3 * CHANNEL_MAX; round++) {
        const samples = await Promise.all(queues.map((q) => poller.sample(q)));
        expect(samples.map((s) => [s.queue, s.messages, s.error]), `poll ${round + 1}`).toEqual([
          [present[0], 1, null],
          [absent, null, 'queue not found'],
          [present[1], 2, null],
          [present[2], 3, null],
        ]);
      }
    } finally {
      poller.stop();
    }
  });
});
