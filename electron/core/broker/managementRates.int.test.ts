// Against the real broker's management plugin: a queue fed at a known rate with a slower
// consumer reports publish and deliver rates within 20 % of the truth, a growing depth and
// a forecast trend; once publishing stops, a drain estimate within a factor of two of the
// time the queue actually took to empty.
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueDepth } from '../../../shared/metrics';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueStatsPoller } from './queueStatsPoller';

const topo = uniqueTopology('mgmtrates');
const PUBLISH_PER_S = 40;
const CONSUME_PER_S = 20;
const conns: amqp.ChannelModel[] = [];

afterAll(async () => {
  const c = await amqp.connect(AMQP_URL);
  await (await c.createChannel()).deleteQueue(topo.queue);
  await c.close();
  for (const x of conns) await x.close().catch(() => undefined);
});

/** Runs `tick` on a fixed schedule that catches up after a late timer, so the long-run rate is exact. */
function paced(perSecond: number, tick: () => boolean | void): { stop: () => void; count: () => number; startedAt: number } {
  const startedAt = Date.now();
  let n = 0;
  let stopped = false;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - startedAt) / 1000) * perSecond);
    while (!stopped && n < due) {
      if (tick() === false) break;
      n++;
    }
  }, 10);
  return { stop: () => ((stopped = true), clearInterval(timer)), count: () => n, startedAt };
}

describe('management rates against the real broker', () => {
  it('rates within 20 %, growing depth, drain estimate within 2x of the actual drain', async () => {
    const pub = await amqp.connect(AMQP_URL);
    const sub = await amqp.connect(AMQP_URL);
    conns.push(pub, sub);
    const pch = await pub.createChannel();
    await pch.assertQueue(topo.queue, { durable: false });
    const cch = await sub.createChannel();
    await cch.prefetch(1);
    // The slow consumer acknowledges on its own schedule; with prefetch 1 the broker
    // delivers the next message only then, so deliveries happen at CONSUME_PER_S.
    const held: amqp.Message[] = [];
    await cch.consume(topo.queue, (m) => m && held.push(m));
    const consumer = paced(CONSUME_PER_S, () => {
      const m = held.shift();
      if (!m) return false;
      cch.ack(m);
    });
    const publisher = paced(PUBLISH_PER_S, () => void pch.sendToQueue(topo.queue, Buffer.from('x')));

    const samples: QueueDepth[] = [];
    const poller = new QueueStatsPoller({
      queues: [topo.queue],
      management: new ManagementClient(managementEndpoint(AMQP_URL)),
      passive: () => Promise.reject(new Error('the management API should answer')),
      onSamples: (s) => samples.push(s[0]),
      intervalMs: 1000,
      forecastThreshold: 100_000,
    });
    poller.start();
    try {
      // The broker computes rates over its statistics interval (5 s by default): wait until
      // two full intervals of steady traffic have been seen.
      await waitFor(() => Date.now() - publisher.startedAt > 14_000, 'steady traffic', 30_000, 200);
      const steady = samples.filter((s) => s.at - publisher.startedAt > 11_000);
      const last = steady[steady.length - 1];
      expect(last.source).toBe('management');
      const truthPublish = publisher.count() / ((Date.now() - publisher.startedAt) / 1000);
      const truthDeliver = consumer.count() / ((Date.now() - consumer.startedAt) / 1000);
      expect(Math.abs(last.rates!.publish! - truthPublish) / truthPublish).toBeLessThan(0.2);
      expect(Math.abs(last.rates!.deliver! - truthDeliver) / truthDeliver).toBeLessThan(0.2);
      expect(last.rates!.ack!).toBeGreaterThan(0);
      // Growing: later samples deeper than early ones, a positive trend, no drain estimate.
      expect(last.messages!).toBeGreaterThan(samples[1].messages! + 50);
      expect(last.forecast!.trendPerSecond).toBeGreaterThan(5);
      expect(last.drainSeconds).toBeNull();
      expect(last.delaySeconds!).toBeGreaterThan(0);

      publisher.stop();
      // Once the broker's publish rate has fallen to zero, the estimate is depth / deliver rate.
      const estimate = await waitFor(
        () => {
          const s = samples[samples.length - 1];
          return s.rates!.publish === 0 && s.drainSeconds !== null && s.messages! > 20 ? s : null;
        },
        'a drain estimate after publishing stopped',
        20_000,
        100,
      );
      const emptied = await waitFor(() => samples.find((s) => s.at > estimate.at && s.messages === 0), 'the queue to empty', 60_000, 200);
      const actual = (emptied.at - estimate.at) / 1000;
      expect(estimate.drainSeconds! / actual).toBeGreaterThan(0.5);
      expect(estimate.drainSeconds! / actual).toBeLessThan(2);
    } finally {
      poller.stop();
      publisher.stop();
      consumer.stop();
    }
  }, 90_000);
});
