// Against the real broker's management plugin: a queue fed at a known rate with a slower
// consumer reports publish and deliver rates within 20 % of the truth, a growing depth and
// a forecast trend; once publishing stops, each poll's time to drain is its depth over its
// net rate (the broker's deliver rate, publish having fallen to 0), down to 0 once empty.
// The drain is not timed against the clock: on a loaded machine the paced consumer falls
// behind and then catches up faster than the broker's rate window saw (an estimate 2.2x the
// drain it timed), which says nothing about the code.
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
  it('rates within 20 %, growing depth, then each poll\'s drain estimate from its own depth and rates down to 0', async () => {
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
      // A loaded machine's management API may take more than the default 3 s to answer.
      management: new ManagementClient(managementEndpoint(AMQP_URL), { timeoutMs: 10_000 }),
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
      await waitFor(() => samples.find((s) => s.at > estimate.at && s.messages === 0), 'the queue to empty', 60_000, 200);
      // Every poll from the first estimate to the empty queue, judged on its own figures.
      const draining = samples.filter((s) => s.at >= estimate.at);
      const emptiedAt = draining.findIndex((s) => s.messages === 0);
      for (const s of draining.slice(0, emptiedAt)) {
        const net = s.rates!.deliver! - s.rates!.publish!;
        if (net > 0) expect(s.drainSeconds, JSON.stringify(s)).toBeCloseTo(s.messages! / net, 9);
        else expect(s.drainSeconds, JSON.stringify(s)).toBeNull(); // the broker's window saw nothing leave
      }
      expect(draining[emptiedAt].drainSeconds).toBe(0);
      // The depth the polls saw fell to 0 without growing again: the queue drained, as estimated.
      const depths = draining.slice(0, emptiedAt + 1).map((s) => s.messages!);
      expect(depths.every((d, i) => i === 0 || d <= depths[i - 1]), depths.join(',')).toBe(true);
    } finally {
      poller.stop();
      publisher.stop();
      consumer.stop();
    }
  }, 90_000);
});
