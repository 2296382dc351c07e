// Where a stream consumer starts when its numeric offset is not in the stream it reads.
// RabbitMQ attaches a consumer asked for an offset past the stream's end at that offset: every
// message that arrives before it is skipped, in silence. Two ways an operator gets there:
// - the stream was deleted and created again under its name (offsets start again at 0) while
//   a database stored its place in the old one;
// - `--stream-offset N` with N past the end.
// The built CLI (`npm run build:core` first), the real broker.
import amqp from 'amqplib';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { waitFor } from '../../test/support/waitFor';

const dir = tempDir('payops-stream-start-');
const created: string[] = [];

afterEach(async () => {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of created.splice(0)) await ch.deleteQueue(q).catch(() => undefined);
  await conn.close();
});

async function createStream(queue: string): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  await (await conn.createChannel()).assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  await conn.close();
  created.push(queue);
}

async function deleteStream(queue: string): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  await (await conn.createChannel()).deleteQueue(queue);
  await conn.close();
}

async function publish(queue: string, n: number): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (let i = 0; i < n; i++) ch.sendToQueue(queue, Buffer.from(JSON.stringify(paymentEvent('payment.authorized'))), { contentType: 'application/cloudevents+json' });
  await ch.waitForConfirms();
  await conn.close();
}

function storedNext(db: string, queue: string): number | undefined {
  const file = new Database(db, { readonly: true });
  try {
    return file.prepare('SELECT next_offset FROM stream_offsets WHERE queue = ?').pluck().get(queue) as number | undefined;
  } finally {
    file.close();
  }
}

const collectArgs = (queue: string, db: string, seconds: number, offset = 'first') =>
  ['collect', '--amqp', AMQP_URL, '--queue', queue, '--queue-type', 'stream', '--stream-offset', offset, '--db', db, '--for', String(seconds), '--json'];

/** Runs `collect` for `seconds`, publishing `more` messages once it consumes; its stats and stderr. */
async function collectWhilePublishing(args: string[], queue: string, more: number): Promise<{ stats: { events: number; duplicates: number }; stderr: string }> {
  const child = startPayops(args);
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  await waitFor(() => stderr.includes('consuming queue'), () => `the collector to consume: ${stderr}`, 20_000);
  if (more > 0) await publish(queue, more);
  await once(child, 'exit');
  return { stats: lastJson(stdout), stderr };
}

describe('a stream deleted and created again under the same name', () => {
  for (const [what, before, after] of [
    ['shorter than what was stored', 20, 5],
    ['already longer than what was stored', 20, 30],
  ] as const) {
    it(`is noticed when the new stream is ${what}: it is read from its first offset and the stored place starts again`, async () => {
      const queue = `qa-streams-recreate-${randomUUID().slice(0, 8)}`;
      const db = path.join(dir, `${queue}.db`);
      await createStream(queue);
      await publish(queue, before);
      const first = await runPayops(collectArgs(queue, db, 2));
      expect(first.code, first.stderr).toBe(0);
      expect(lastJson(first.stdout)).toMatchObject({ events: before });
      expect(storedNext(db, queue)).toBe(before);

      await deleteStream(queue);
      await createStream(queue);
      await publish(queue, after);
      const again = await collectWhilePublishing(collectArgs(queue, db, 4), queue, 3);
      expect(again.stderr).toMatch(
        new RegExp(`stream ${queue} is not the stream this database read: .*deleted and created again.*Reading it from its first offset`),
      );
      // Every message of the new stream once; nothing of the old one counted again.
      expect(again.stats).toMatchObject({ events: before + after + 3, duplicates: 0 });
      expect(storedNext(db, queue)).toBe(after + 3);
    });
  }
});

describe('--stream-offset past the end of the stream', () => {
  it('says so and reads what arrives next instead of skipping it', async () => {
    const queue = `qa-streams-past-end-${randomUUID().slice(0, 8)}`;
    const db = path.join(dir, `${queue}.db`);
    await createStream(queue);
    await publish(queue, 5);
    const run = await collectWhilePublishing(collectArgs(queue, db, 4, '50'), queue, 10);
    expect(run.stderr).toContain(`--stream-offset 50 is past the end of stream ${queue} (its last offset is 4): reading from offset 5, the next message to arrive`);
    expect(run.stats).toMatchObject({ events: 10, duplicates: 0 });
    expect(storedNext(db, queue)).toBe(15);
  });

  it('an offset inside the stream starts there, with nothing said', async () => {
    const queue = `qa-streams-inside-${randomUUID().slice(0, 8)}`;
    const db = path.join(dir, `${queue}.db`);
    await createStream(queue);
    await publish(queue, 5);
    const run = await collectWhilePublishing(collectArgs(queue, db, 3, '2'), queue, 0);
    expect(run.stderr).not.toContain('past the end');
    expect(run.stats).toMatchObject({ events: 3 });
    expect(storedNext(db, queue)).toBe(5);
  });
});
