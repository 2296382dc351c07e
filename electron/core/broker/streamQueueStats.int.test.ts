// A stream queue keeps what it delivered: its message count is what its retention holds, not
// a backlog. Read as one, a reader that keeps up showed a delay of depth over deliver rate
// (34 s on 658 retained messages at 19/s, "not draining"), which grows with the retention
// until queue-depth-growing fires, and a reader caught up on an idle stream looked stuck
// (queue-consumer-stuck). The real broker and its management plugin.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueDepth } from '../../../shared/metrics';
import { AMQP_URL } from '../../../test/support/broker';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueStatsPoller } from './queueStatsPoller';

const queue = `qa-streams-stats-${randomUUID().slice(0, 8)}`;
const conns: amqp.ChannelModel[] = [];

afterAll(async () => {
  for (const c of conns) await c.close().catch(() => undefined);
  const c = await amqp.connect(AMQP_URL);
  await (await c.createChannel()).deleteQueue(queue).catch(() => undefined);
  await c.close();
});

describe('a stream queue in the queue statistics', () => {
  it('has no delay, drain time, stall or depth forecast, and says why', async () => {
    const conn = await amqp.connect(AMQP_URL);
    conns.push(conn);
    const pub = await conn.createConfirmChannel();
    await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    for (let i = 0; i < 300; i++) pub.sendToQueue(queue, Buffer.from('x'));
    await pub.waitForConfirms();
    // A reader that keeps up: it reads the whole stream and whatever arrives next.
    const reader = await conn.createChannel();
    await reader.prefetch(100);
    let read = 0;
    await reader.consume(queue, (m) => m && (reader.ack(m), (read += 1)), { arguments: { 'x-stream-offset': 'first' } });
    const trickle = setInterval(() => pub.sendToQueue(queue, Buffer.from('x')), 100);

    const samples: QueueDepth[] = [];
    const poller = new QueueStatsPoller({
      queues: [queue],
      management: new ManagementClient(managementEndpoint(AMQP_URL)),
      passive: () => Promise.reject(new Error('the management API should answer')),
      onSamples: (s) => samples.push(s[0]),
      intervalMs: 500,
    });
    poller.start();
    try {
      await waitFor(() => samples.some((s) => (s.rates?.deliver ?? 0) > 0 && (s.messages ?? 0) > 300), 'the broker to report the reader reading the retained stream', 30_000, 100);
      clearInterval(trickle);
      expect(read).toBeGreaterThan(300);
      const stream = samples.filter((s) => (s.messages ?? 0) > 0);
      expect(stream[stream.length - 1].type).toBe('stream');
      for (const s of stream) {
        expect({ delay: s.delaySeconds, drain: s.drainSeconds, stalled: s.stalledSeconds, forecast: s.forecast }).toEqual({ delay: null, drain: null, stalled: null, forecast: null });
      }
      expect(stream[stream.length - 1].note).toMatch(new RegExp(`${queue} is a stream: it keeps the messages it delivered`));
    } finally {
      clearInterval(trickle);
      poller.stop();
    }
  }, 60_000);
});
