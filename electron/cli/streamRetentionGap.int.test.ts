// A stream's retention can remove offsets a console stored as its place but never read (it was
// stopped for longer than the stream keeps messages). Resuming, the console says which offsets
// were lost, instead of reading on in silence, and stores everything the stream still holds.
// The built CLI (`npm run build:core` first), the real broker.
import amqp from 'amqplib';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-stream-gap-');
const queue = `t.stream-gap.${Date.now()}.${process.pid}`;

afterAll(async () => {
  const conn = await amqp.connect(AMQP_URL);
  await (await conn.createChannel()).deleteQueue(queue).catch(() => undefined);
  await conn.close();
});

/** The stream's first offset and how many messages it holds (read from `first` until quiet). */
async function heldNow(): Promise<{ first: number; count: number }> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    await ch.prefetch(1000);
    const offsets: number[] = [];
    await new Promise<void>((resolve) => {
      let quiet = setTimeout(resolve, 2000);
      void ch.consume(
        queue,
        (msg) => {
          if (!msg) return;
          offsets.push(Number(msg.properties.headers?.['x-stream-offset']));
          ch.ack(msg);
          clearTimeout(quiet);
          quiet = setTimeout(resolve, 300);
        },
        { arguments: { 'x-stream-offset': 'first' } },
      );
    });
    return { first: Math.min(...offsets), count: offsets.length };
  } finally {
    await conn.close();
  }
}

async function publish(n: number): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (let i = 0; i < n; i++) ch.sendToQueue(queue, Buffer.from(JSON.stringify(paymentEvent('payment.authorized'))), { contentType: 'application/cloudevents+json' });
  await ch.waitForConfirms();
  await conn.close();
}

describe('resuming a stream whose retention removed what was never read', () => {
  it('says which offsets were lost, and stores everything the stream still holds', async () => {
    const conn = await amqp.connect(AMQP_URL);
    // Small segments and a small size limit: retention removes whole old segments as new ones fill.
    await (await conn.createChannel()).assertQueue(queue, {
      durable: true,
      arguments: { 'x-queue-type': 'stream', 'x-max-length-bytes': 40_000, 'x-stream-max-segment-size-bytes': 8_000 },
    });
    await conn.close();
    await publish(20);
    const db = path.join(dir, 'gap.db');
    const first = await runPayops(['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--stream-offset', 'first', '--db', db, '--drain', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(lastJson(first.stdout)).toMatchObject({ events: 20 });

    // Far more than the stream keeps: offsets 20.. go before the next run reads them. Retention
    // runs as segments roll, a little after a publish: published until it has.
    let oldest = 0;
    let held = 0;
    for (let tries = 0; oldest <= 20 && tries < 30; tries++) {
      await publish(tries === 0 ? 600 : 20);
      ({ first: oldest, count: held } = await heldNow());
    }
    expect(oldest).toBeGreaterThan(20);
    const again = await runPayops(['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--db', db, '--append', '--drain', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const gap = /stream \S+: offsets 20\.\.(\d+) are no longer in the stream \(its retention removed them before this console read them\): what they held was never stored; reading on from (\d+)/.exec(again.stderr);
    expect(gap, again.stderr).not.toBeNull();
    const [lastLost, from] = [Number(gap![1]), Number(gap![2])];
    expect(from).toBe(lastLost + 1);
    expect(from).toBeGreaterThanOrEqual(oldest);
    // Everything the stream still held is stored: the database holds the first 20 and those.
    const stats = await runPayops(['stats', '--db', db, '--json']);
    expect(lastJson<{ events: number }>(stats.stdout).events).toBe(20 + held);
  });
});
