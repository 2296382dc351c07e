// One queue the management API describes oddly must not cost the others their figures: a real
// HTTP server on loopback answers the batched queue request as the API does, with one entry
// whose field is of the wrong type. That queue alone falls back to a passive declare (against
// the real broker) with the field named; the other keeps the API's figures.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { answers, startLoopbackHttp, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller, RATES_NEED_MANAGEMENT } from './queueStatsPoller';

const good = uniqueTopology('mgmtgood').queue;
const bad = uniqueTopology('mgmtbadentry').queue;
let conn: amqp.ChannelModel;
let http: LoopbackHttp;

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const [q, n] of [[good, 4], [bad, 6]] as const) {
    await ch.assertQueue(q, { durable: false });
    for (let i = 0; i < n; i++) ch.sendToQueue(q, Buffer.from(`m${i}`));
  }
  await ch.close();
  const entry = (name: string, messages: unknown) => ({
    name,
    vhost: '/',
    type: 'classic',
    messages,
    messages_ready: 4,
    messages_unacknowledged: 0,
    consumers: 1,
    consumer_utilisation: 1,
    arguments: {},
    message_stats: { publish: 40, publish_details: { rate: 2.5 }, deliver_get: 36, deliver_get_details: { rate: 2 }, ack: 36, ack_details: { rate: 2 } },
  });
  // The API's figure is a number; a proxy or a broken plugin sent this one as a string.
  http = await startLoopbackHttp(answers.status(200, JSON.stringify({ items: [entry(good, 4), entry(bad, '6')], total_count: 2, page: 1, page_size: 2 })));
});

afterAll(async () => {
  const ch = await conn.createChannel();
  for (const q of [good, bad]) await ch.deleteQueue(q);
  await conn.close();
  await http.close();
});

describe('one bad entry in a batched management answer', () => {
  it('only its queue falls back to a passive declare, with the field named; the other keeps the management figures', async () => {
    const passive = new QueueDepthPoller([good, bad], () => conn, () => undefined);
    const poller = new QueueStatsPoller({
      queues: [good, bad],
      management: new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 }),
      passive: (q) => passive.sample(q),
      onSamples: () => undefined,
      onStop: () => passive.stop(),
    });
    try {
      const samples = (await poller.pollOnce())!;
      const g = samples.find((s) => s.queue === good)!;
      const b = samples.find((s) => s.queue === bad)!;
      expect(g).toMatchObject({ source: 'management', messages: 4, ready: 4, consumers: 1, note: null });
      expect(g.rates).toEqual({ publish: 2.5, deliver: 2, ack: 2, redeliver: 0 });
      expect(g.delaySeconds).toBe(2);
      // The real broker's depth, from the passive declare.
      expect(b).toMatchObject({ source: 'amqp', messages: 6, error: null });
      expect(b.note).toContain(RATES_NEED_MANAGEMENT);
      expect(b.note).toMatch(new RegExp(`"${bad.replace(/\./g, '\\.')}" messages: .*expected number`));
    } finally {
      poller.stop();
    }
  });
});
