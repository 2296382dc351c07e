import { randomBytes } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { publishTraffic, PublishTrafficError } from './publishTraffic';

const URL = process.env.PAYOPS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

describe('publishTraffic against RabbitMQ', () => {
  const suffix = randomBytes(4).toString('hex');
  const exchange = `t.sim.${suffix}`;
  const queue = `t.sim.${suffix}.q`;
  let model: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    model = await connect(URL);
    channel = await model.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: false, exclusive: false, autoDelete: false });
    await channel.bindQueue(queue, exchange, 'payment.#');
    await channel.bindQueue(queue, exchange, 'risk.#');
  });

  afterAll(async () => {
    await channel?.deleteQueue(queue).catch(() => undefined);
    await channel?.deleteExchange(exchange).catch(() => undefined);
    await model?.close().catch(() => undefined);
  });

  async function drainQueue(expected: number): Promise<Buffer[]> {
    const bodies: Buffer[] = [];
    const deadline = Date.now() + 10_000;
    while (bodies.length < expected && Date.now() < deadline) {
      const msg = await channel.get(queue, { noAck: true });
      if (msg === false) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      expect(msg.fields.routingKey).toMatch(/^(payment|risk)\./);
      expect(msg.properties.contentType).toBe('application/cloudevents+json');
      expect(msg.properties.deliveryMode).toBe(2);
      bodies.push(msg.content);
    }
    return bodies;
  }

  it('publishes at the rate for the duration, confirmed, and the queue receives exactly that many', async () => {
    const progress: number[] = [];
    const started = Date.now();
    const { published } = await publishTraffic({
      url: URL,
      exchange,
      rate: 500,
      forSeconds: 2,
      seed: 99,
      onProgress: (p) => progress.push(p.published),
    });
    const elapsed = Date.now() - started;
    // Paced, not dumped: ~1000 events over ~2 s.
    expect(published).toBeGreaterThan(800);
    expect(published).toBeLessThanOrEqual(1000);
    expect(elapsed).toBeGreaterThan(1800);
    expect(progress.length).toBeGreaterThan(2);

    const bodies = await drainQueue(published);
    expect(bodies).toHaveLength(published);
    // Every publish was confirmed before publishTraffic resolved, so a stray extra message
    // would already be queued: no wait needed before looking.
    expect(await channel.get(queue, { noAck: true })).toBe(false);
    for (const body of bodies) {
      const result = decodeMessage({ body, arrivalMs: Date.now() });
      expect(result.ok).toBe(true);
    }
  });

  it('stops early on abort and still counts exactly what it sent', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    // Abort once sending is under way (a timer could fire before a slow connect finished).
    const onProgress = ({ sent }: { sent: number }) => {
      if (sent > 0 && !controller.signal.aborted) {
        abortedAt = Date.now();
        controller.abort();
      }
    };
    const { published } = await publishTraffic({ url: URL, exchange, rate: 1000, forSeconds: 30, seed: 5, signal: controller.signal, onProgress });
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(3000);
    expect(published).toBeGreaterThan(0);
    const bodies = await drainQueue(published);
    expect(bodies).toHaveLength(published);
  });

  it('sends nothing while the stall scenario is stalled', async () => {
    const { published } = await publishTraffic({
      url: URL,
      exchange,
      rate: 200,
      forSeconds: 1.5,
      scenario: 'stall',
      timings: { anomalyStartMs: 300, anomalyDurationMs: 60_000 },
    });
    // ~300 ms of traffic at 200/s, then silence for the remaining 1.2 s.
    expect(published).toBeGreaterThan(20);
    expect(published).toBeLessThan(100);
    expect(await drainQueue(published)).toHaveLength(published);
  });

  it('reports a failed connection without the password', async () => {
    const err = await publishTraffic({
      url: 'amqp://guest:s3cret-pw@127.0.0.1:1',
      exchange,
      rate: 10,
      forSeconds: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishTrafficError);
    expect((err as Error).message).not.toContain('s3cret-pw');
    expect((err as Error).message).toContain('127.0.0.1:1');
  });
});
