// A watched queue deleted while watched (or named wrong): the management API no longer lists
// it, and the poller looked for it with a passive declare on every poll, in case it had been
// declared a moment ago. The broker answers a passive declare of a missing queue by closing
// the channel (404), so each poll cost a declare and a channel opened and closed again for
// each such queue, for as long as it stayed in the watch list (channel churn, as RabbitMQ's
// monitoring guide warns of). A queue a declare found missing is looked for again only every
// 30 s; the API lists a queue declared again by itself.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { countingPoller } from '../../../test/support/countingPoller';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';

const topo = uniqueTopology('deletedwatch');
const kept = `${topo.queue}.kept`;
const deleted = `${topo.queue}.deleted`;
let conn: amqp.ChannelModel;

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.assertQueue(kept, { durable: false });
  await ch.assertQueue(deleted, { durable: false });
  await ch.close();
});

afterAll(async () => {
  const ch = await conn.createChannel();
  await ch.deleteQueue(kept);
  await ch.deleteQueue(deleted);
  await conn.close();
});

describe('a watched queue deleted while watched', () => {
  it("reads 'queue not found' on every poll, with one passive declare every 30 s, not one a poll", async () => {
    const management = new ManagementClient(managementEndpoint(AMQP_URL), { timeoutMs: 5000 });
    const { poller, clock, declared } = countingPoller([kept, deleted], conn, management);
    try {
      await poller.pollOnce();
      const ch = await conn.createChannel();
      await ch.deleteQueue(deleted);
      await ch.close();
      await waitFor(async () => !(await management.queues([deleted])).has(deleted), 'the management API no longer listing the deleted queue');
      declared.length = 0;
      for (let i = 0; i < 10; i++) {
        clock.advance(2000);
        const [, gone] = (await poller.pollOnce())!;
        expect(gone).toMatchObject({ queue: deleted, messages: null, error: 'queue not found' });
      }
      // 20 s of polls: the first looked for it, no other.
      expect(declared.filter((q) => q === deleted)).toEqual([deleted]);
      clock.advance(12_000);
      declared.length = 0;
      const [, still] = (await poller.pollOnce())!;
      expect(still).toMatchObject({ error: 'queue not found' });
      expect(declared.filter((q) => q === deleted)).toEqual([deleted]);
    } finally {
      poller.stop();
    }
  });
});
