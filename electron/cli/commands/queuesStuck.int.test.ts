// `payops queues` on a stuck consumer, against the real broker: a consumer holds its prefetch
// and never acknowledges while the rest of the messages wait. Little's law has no answer
// (nothing is delivered), and a dash would read as "unknown": the table says it is stuck.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { runPayops } from '../../../test/support/cli';
import { waitFor } from '../../../test/support/waitFor';

const topo = uniqueTopology('queuesstuck');
let conn: amqp.ChannelModel;

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const setup = await conn.createChannel();
  await setup.assertQueue(topo.queue, { durable: false });
  for (let i = 0; i < 20; i++) setup.sendToQueue(topo.queue, Buffer.from(`m${i}`));
  await setup.close();
  const consumer = await conn.createChannel();
  await consumer.prefetch(3);
  // Takes its prefetch and acknowledges nothing.
  await consumer.consume(topo.queue, () => undefined, { noAck: false });
  // The management API's deliver rate is an average over its last stats interval: wait until
  // it shows the prefetch taken, the rest waiting and nothing delivered since.
  const auth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
  await waitFor(
    async () => {
      const res = await fetch(`http://127.0.0.1:15672/api/queues/%2F/${encodeURIComponent(topo.queue)}`, { headers: { authorization: auth } });
      const q = res.ok ? ((await res.json()) as { consumers?: number; messages_unacknowledged?: number; messages_ready?: number; message_stats?: { deliver_get_details?: { rate?: number } } }) : {};
      return q.consumers === 1 && q.messages_unacknowledged === 3 && q.messages_ready === 17 && q.message_stats?.deliver_get_details?.rate === 0;
    },
    'the management API to show 1 consumer, 3 unacked, 17 ready and no deliveries',
    60_000,
    500,
  );
}, 90_000);

afterAll(async () => {
  const ch = await conn.createChannel();
  await ch.deleteQueue(topo.queue);
  await conn.close();
});

describe('payops queues on a stuck consumer', () => {
  it('the table says the queue is stuck, with its consumers and nothing delivered, instead of a dash', async () => {
    const r = await runPayops(['queues', '--amqp', AMQP_URL, '--watch', topo.queue, '--sample', '1']);
    expect(r.code, r.stderr).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.startsWith(topo.queue))!;
    expect(row).toMatch(/\sstuck: 1 consumer, 0 delivered\/s\s+not draining\s+management$/);
  }, 60_000);
});
