// A stuck consumer against the real broker and its real management API: a consumer holds its
// prefetch and acknowledges nothing while messages wait. Little's law has no answer (nothing
// drains), so the poller says how long the queue has stalled; an acknowledgement restarts it.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { stuckConsumerText } from '../../../shared/queueStuck';
import { manualClock, waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

const topo = uniqueTopology('stuck');
let conn: amqp.ChannelModel;
let consumer: amqp.Channel;
const held: amqp.ConsumeMessage[] = [];

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const setup = await conn.createChannel();
  await setup.assertQueue(topo.queue, { durable: false });
  await setup.close();
  consumer = await conn.createChannel();
  await consumer.prefetch(3);
  await consumer.consume(topo.queue, (m) => m && held.push(m), { noAck: false });
  const pub = await conn.createChannel();
  for (let i = 0; i < 20; i++) pub.sendToQueue(topo.queue, Buffer.from(`m${i}`));
  await pub.close();
});

afterAll(async () => {
  const ch = await conn.createChannel();
  await ch.deleteQueue(topo.queue);
  await conn.close();
});

describe('a queue whose consumer takes nothing', () => {
  it('reads as stalled for as long as nothing is delivered or acknowledged, and 0 once it moves', async () => {
    const clock = manualClock(Date.now());
    const passive = new QueueDepthPoller([topo.queue], () => conn, () => undefined);
    const poller = new QueueStatsPoller({
      queues: [topo.queue],
      management: new ManagementClient(managementEndpoint(AMQP_URL), { timeoutMs: 10_000 }),
      passive: (q) => passive.sample(q),
      onSamples: () => undefined,
      now: clock.now,
      onStop: () => passive.stop(),
    });
    try {
      // The management API's rates follow its stats emission (every few seconds): wait until
      // it shows the consumer's prefetch taken, the rest waiting and nothing moving.
      const first = await waitFor(
        async () => {
          const [s] = (await poller.pollOnce()) ?? [];
          // Its first answers for a new queue may leave the consumer count out: wait for all of it.
          return s && s.consumers === 1 && s.unacked === 3 && s.ready === 17 && s.rates?.deliver === 0 && s.rates?.ack === 0 ? s : null;
        },
        'the management API to show 1 consumer, 3 unacked, 17 ready and no deliveries',
        40_000,
        500,
      );
      expect(first.stalledSeconds).toBe(0); // the first stalled poll starts the clock
      expect(first.delaySeconds).toBeNull(); // nothing drains: Little's law has no answer
      // What the CLI's table and the queue panel say instead of a dash, from this first poll on.
      expect(stuckConsumerText(first)).toBe('stuck: 1 consumer, 0 delivered/s');
      clock.advance(150_000);
      const [later] = (await poller.pollOnce())!;
      expect(later.stalledSeconds).toBeGreaterThanOrEqual(150);
      // The consumer acknowledges what it holds: progress, the clock restarts. The broker
      // shows it at its next stats emission; on a loaded CI machine its management API has
      // answered that late, so the wait is long and a failure says what the polls last saw.
      for (const m of held.splice(0)) consumer.ack(m);
      let seen = 'no poll answered';
      await waitFor(
        async () => {
          clock.advance(1000);
          const [s] = (await poller.pollOnce()) ?? [];
          if (s) seen = JSON.stringify({ source: s.source, note: s.note, ready: s.ready, unacked: s.unacked, rates: s.rates, stalledSeconds: s.stalledSeconds });
          return s?.stalledSeconds === 0;
        },
        () => `an acknowledgement to end the stall (last poll: ${seen})`,
        80_000,
        500,
      );
    } finally {
      poller.stop();
    }
  }, 150_000);
});
