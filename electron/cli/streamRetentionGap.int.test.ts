// A stream's retention can remove offsets a console stored as its place but never read (it was
// stopped for longer than the stream keeps messages). Resuming, the console says which offsets
// were lost instead of reading on in silence, and stores what the stream still delivers.
// The built CLI (`npm run build:core` first), the real broker.
import amqp from 'amqplib';
import Database from 'better-sqlite3';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { waitFor } from '../../test/support/waitFor';

const dir = tempDir('payops-stream-gap-');
const queue = `t.stream-gap.${Date.now()}.${process.pid}`;

afterAll(async () => {
  const conn = await amqp.connect(AMQP_URL);
  await (await conn.createChannel()).deleteQueue(queue).catch(() => undefined);
  await conn.close();
});

async function publish(n: number): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (let i = 0; i < n; i++) ch.sendToQueue(queue, Buffer.from(JSON.stringify(paymentEvent('payment.authorized'))), { contentType: 'application/cloudevents+json' });
  await ch.waitForConfirms();
  await conn.close();
}

/** The offsets a consumer attached at `at` is sent until it goes quiet. */
async function offsetsFrom(at: number | 'first'): Promise<number[]> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    await ch.prefetch(1000);
    const offsets: number[] = [];
    await new Promise<void>((resolve) => {
      let quiet = setTimeout(resolve, 3000);
      void ch.consume(
        queue,
        (msg) => {
          if (!msg) return;
          offsets.push(Number(msg.properties.headers?.['x-stream-offset']));
          ch.ack(msg);
          clearTimeout(quiet);
          quiet = setTimeout(resolve, 500);
        },
        { arguments: { 'x-stream-offset': at } },
      );
    });
    return offsets;
  } finally {
    await conn.close();
  }
}

/** The stream offset the database stored as its place. */
function storedOffset(db: string): number {
  const file = new Database(db, { readonly: true });
  try {
    return file.prepare('SELECT next_offset FROM stream_offsets WHERE queue = ?').pluck().get(queue) as number;
  } finally {
    file.close();
  }
}

const collectArgs = (db: string, seconds: number) => ['collect', '--amqp', AMQP_URL, '--queue', queue, '--queue-type', 'stream', '--stream-offset', 'first', '--db', db, '--for', String(seconds), '--json'];

describe('resuming a stream whose retention removed what was never read', () => {
  it('says which offsets were lost, and stores what the stream delivers from there', async () => {
    const conn = await amqp.connect(AMQP_URL);
    // Small segments and a small size limit: retention removes whole old segments as new ones fill.
    await (await conn.createChannel()).assertQueue(queue, {
      durable: true,
      arguments: { 'x-queue-type': 'stream', 'x-max-length-bytes': 40_000, 'x-stream-max-segment-size-bytes': 8_000 },
    });
    await conn.close();
    await publish(20);
    const db = path.join(dir, 'gap.db');
    const first = await runPayops(collectArgs(db, 2));
    expect(first.code, first.stderr).toBe(0);
    expect(lastJson(first.stdout)).toMatchObject({ events: 20 });
    // The place stored after 20 messages: 20, or more when the stream rolled a segment over
    // among them (a new segment begins with a tracking chunk, which takes an offset of its own).
    const stored = storedOffset(db);
    expect(stored).toBeGreaterThanOrEqual(20);

    // Far more than the stream keeps: the stored offset goes before the next run reads it.
    await publish(600);
    await waitFor(async () => {
      const held = await offsetsFrom('first');
      if (held.length === 0 || Math.min(...held) <= stored) await publish(20);
      return held.length > 0 && Math.min(...held) > stored;
    }, `retention to remove offset ${stored}`, 40_000, 0);

    // Resumed from the stored place; more arrives while it runs (on RabbitMQ 3.10 a reader
    // attached right after retention ran starts with what arrives next).
    const again = startPayops(collectArgs(db, 6));
    let stderr = '';
    again.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let stdout = '';
    again.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    await waitFor(() => stderr.includes('consuming queue'), 'the collector to consume', 20_000);
    await publish(30);
    await once(again, 'exit');
    const gap = new RegExp(`stream \\S+: offsets ${stored}\\.\\.(\\d+) are no longer in the stream \\(its retention removed them before this console read them\\): what they held was never stored; reading on from (\\d+)`).exec(stderr);
    expect(gap, stderr).not.toBeNull();
    const [lastLost, from] = [Number(gap![1]), Number(gap![2])];
    expect(from).toBe(lastLost + 1);
    // It read on to the stream's end, each message once (retention may drop more of the start
    // meanwhile, so the end, not a count, is compared).
    const stats = lastJson<{ events: number; duplicates: number }>(stdout);
    expect(stats.events).toBeGreaterThanOrEqual(20 + 30);
    expect(stats.duplicates).toBe(0);
    const end = Math.max(...(await offsetsFrom(from)));
    const file = new Database(db, { readonly: true });
    try {
      expect(file.prepare('SELECT next_offset FROM stream_offsets WHERE queue = ?').pluck().get(queue)).toBe(end + 1);
    } finally {
      file.close();
    }
  });
});
