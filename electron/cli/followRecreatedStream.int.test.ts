// A metrics stream deleted and created again under its name (its offsets start again at 0):
// RabbitMQ attaches a follower resuming at its stored offset at that very offset and skips
// every message before it in silence, so the follower applied nothing of the new stream and
// --drain said it was caught up. The built CLI, the real broker.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { deleteQueues, publishToStream } from '../../test/support/metricsStreamKit';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-follow-recreated-');
const stream = `qa-streams-metrics-${randomUUID().slice(0, 8)}`;
afterAll(() => deleteQueues([stream]));

const SEC = Math.floor(Date.now() / 1000) - 3600;
const message = (seq: number) =>
  JSON.stringify({ v: 1, collector: 'collector-a', seq, at: SEC * 1000, incarnation: 'p1', rollups: [{ sec: SEC + seq, dim: 'type', key: 'payment.authorized', count: 1, amount: 0 }] });

async function createStream(): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  await (await conn.createChannel()).assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  await conn.close();
}

describe('a follower of a metrics stream deleted and created again', () => {
  it('says so, follows the new stream from its start and applies what the collector publishes there', async () => {
    await createStream();
    await publishToStream(stream, [1, 2, 3, 4, 5].map(message));
    const db = path.join(dir, 'follower.db');
    const args = ['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', db, '--drain', '--json'];
    const first = await runPayops(args);
    expect(first.code, first.stderr).toBe(0);
    expect(lastJson(first.stdout)).toMatchObject({ applied: 5 });

    await deleteQueues([stream]);
    await createStream();
    await publishToStream(stream, [6, 7, 8].map(message));
    const again = await runPayops(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`metrics stream ${stream} is not the stream this database followed: it read up to offset 4, but the stream's last offset is 2, so it was deleted and created again`));
    const s = lastJson<{ applied: number; skipped: number; position: { nextOffset: number }; stats: { byType: Record<string, number> } }>(again.stdout);
    expect({ applied: s.applied, skipped: s.skipped, next: s.position.nextOffset }).toEqual({ applied: 3, skipped: 0, next: 3 });
    expect(s.stats.byType).toEqual({ 'payment.authorized': 8 });
  }, 60_000);
});
