// The management API's figures for a queue are what it last emitted (every 5 s), so a 0 may
// predate messages published since, and the poller checks such a 0 with a passive declare.
// Checked for every empty queue on every poll, one declare after another, that made a poll
// of 12 idle empty queues 12 AMQP round trips, every 2 s, for ever. A 0 is checked only when
// it may be stale (a queue first seen moments ago, or one the API shows traffic on), at most
// a few a poll; and a checked sample takes the declare's consumers, its rates unknown.
// Real queues on the real broker answer the passive declares; a real HTTP server on loopback
// answers for the management API (the broker's own takes up to 5 s to list a new queue).
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { startLoopbackHttp, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { countingPoller as countingPollerOn } from '../../../test/support/countingPoller';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { MAX_PASSIVE_CHECKS_PER_POLL } from './queueStatsPoller';

const topo = uniqueTopology('passivebudget');
const idle = Array.from({ length: 12 }, (_, i) => `${topo.queue}.idle${i}`);
const busy = `${topo.queue}.busy`;
let conn: amqp.ChannelModel;
let holder: amqp.ChannelModel;
let http: LoopbackHttp;

/** What the API says of each queue: all idle and empty, unless a test says otherwise. */
const entries = new Map<string, Record<string, unknown>>();
const idleEmpty = (name: string) => ({ name, vhost: '/', type: 'classic', messages: 0, messages_ready: 0, messages_unacknowledged: 0, consumers: 0 });

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (const q of [...idle, busy]) await ch.assertQueue(q, { durable: false });
  for (let i = 0; i < 3; i++) ch.sendToQueue(busy, Buffer.from(`m${i}`));
  await ch.waitForConfirms();
  await ch.close();
  // A consumer holding one message unacknowledged: busy has 2 ready, 1 consumer.
  holder = await amqp.connect(AMQP_URL);
  const hold = await holder.createChannel();
  await hold.prefetch(1);
  let delivered!: () => void;
  const first = new Promise<void>((resolve) => (delivered = resolve));
  await hold.consume(busy, () => delivered(), { noAck: false });
  await first;
  http = await startLoopbackHttp((_req, res) => {
    const items = [...idle, busy].map((q) => entries.get(q) ?? idleEmpty(q));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ items, total_count: items.length }));
  });
});

afterAll(async () => {
  await holder.close();
  const ch = await conn.createChannel();
  for (const q of [...idle, busy]) await ch.deleteQueue(q);
  await conn.close();
  await http.close();
});

const countingPoller = (queues: string[]) => countingPollerOn(queues, conn, new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 }));

describe('passive checks of a 0 from the management API', () => {
  it('12 idle empty queues: a few declares a poll while they are new, none once their 0 has held', async () => {
    entries.clear();
    const { poller, clock, declared } = countingPoller(idle);
    try {
      const perPoll: number[] = [];
      for (let i = 0; i < 4; i++) {
        const before = declared.length;
        const samples = (await poller.pollOnce())!;
        perPoll.push(declared.length - before);
        expect(samples.map((s) => s.messages)).toEqual(idle.map(() => 0));
        clock.advance(2000);
      }
      expect(Math.max(...perPoll)).toBeLessThanOrEqual(MAX_PASSIVE_CHECKS_PER_POLL);
      // Past the statistics' own age, an idle queue's 0 is as current as the API can say: no declare.
      clock.advance(60_000);
      const before = declared.length;
      for (let i = 0; i < 3; i++) {
        await poller.pollOnce();
        clock.advance(2000);
      }
      expect(declared.length - before).toBe(0);
    } finally {
      poller.stop();
    }
  });

  it('a stale 0 on a queue with traffic is still checked, long after it was first seen, and takes the declare\'s consumers, rates unknown', async () => {
    entries.clear();
    const { poller, clock, declared } = countingPoller([busy, ...idle]);
    try {
      await poller.pollOnce();
      clock.advance(60_000);
      await poller.pollOnce();
      // The API's last statistics of busy: empty, no consumer, traffic flowing (publish and
      // deliver at 2.5/s, consumers fully used), older than the 2 ready messages and the consumer now there.
      entries.set(busy, {
        ...idleEmpty(busy),
        consumer_utilisation: 1,
        message_stats: {
          publish: 40,
          publish_details: { rate: 2.5 },
          deliver_get: 40,
          deliver_get_details: { rate: 2.5 },
          ack: 40,
          ack_details: { rate: 2.5 },
          redeliver: 0,
          redeliver_details: { rate: 0 },
        },
      });
      clock.advance(2000);
      const before = declared.length;
      const [s] = (await poller.pollOnce())!;
      expect(declared.slice(before)).toEqual([busy]);
      // The declare's current figures: 2 ready (it counts no unacknowledged), 1 consumer; the
      // API's rates and utilisation are as old as its 0, so unknown, not 2.5/s.
      expect(s).toMatchObject({
        queue: busy,
        messages: 2,
        ready: 2,
        unacked: null,
        consumers: 1,
        utilisation: null,
        rates: { publish: null, deliver: null, ack: null, redeliver: null },
        source: 'management',
        error: null,
      });
      // Nor is a delay estimated from the stale deliver rate (0.8 s from 2 at 2.5/s).
      expect(s.delaySeconds).toBeNull();
    } finally {
      poller.stop();
    }
  });
});
