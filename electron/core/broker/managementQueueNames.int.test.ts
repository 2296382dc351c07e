// The management client against the real broker: a watched queue is found by its exact name,
// whatever other queues of the vhost are called.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';

const suffix = randomBytes(4).toString('hex');
// The management API matches its name filter without case: these two are one to its regex.
const upper = `QA-Case-Queue-${suffix}`;
const lower = upper.toLowerCase();

describe('management client: queues by exact name', () => {
  let model: amqp.ChannelModel;
  beforeAll(async () => {
    model = await amqp.connect(AMQP_URL);
    const ch = await model.createChannel();
    await ch.assertQueue(upper, { durable: false });
    await ch.assertQueue(lower, { durable: false });
    await ch.sendToQueue(lower, Buffer.from('x'));
    await ch.close();
  });
  afterAll(async () => {
    const ch = await model.createChannel();
    await ch.deleteQueue(upper);
    await ch.deleteQueue(lower);
    await model.close();
  });

  it('finds a watched queue beside one whose name differs only in case, and reads its own figures', async () => {
    const client = new ManagementClient(managementEndpoint(AMQP_URL, null), { timeoutMs: 5000 });
    for (const watched of [lower, upper]) {
      const found = await client.queues([watched]);
      expect([...found.keys()]).toEqual([watched]);
    }
    const both = await client.queues([lower, upper]);
    expect(new Set(both.keys())).toEqual(new Set([lower, upper]));
  });
});
