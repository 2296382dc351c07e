// `payops collect --drain` stops "once its queue is empty and everything is committed" (issue 2).
// A stream queue is never emptied by reading it (RabbitMQ 3.x reports no message count for
// it), so on `--queue-type stream` a collector with --drain ran until killed. It now drains
// as `replay --from-stream --drain` does: to the end the stream had when it started.
// The built CLI (`npm run build:core` first), the real broker.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-collect-stream-drain-');
const created: string[] = [];
const exchanges: string[] = [];

afterEach(async () => {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of created.splice(0)) await ch.deleteQueue(q).catch(() => undefined);
  for (const x of exchanges.splice(0)) await ch.deleteExchange(x).catch(() => undefined);
  await conn.close();
});

async function filledStream(queue: string, n: number): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  created.push(queue);
  for (let i = 0; i < n; i++) ch.sendToQueue(queue, Buffer.from(JSON.stringify(paymentEvent('payment.authorized'))), { contentType: 'application/cloudevents+json' });
  await ch.waitForConfirms();
  await conn.close();
}

describe('collect --drain on a stream queue', () => {
  it('stores what the stream held, then exits 0 (it ran until killed)', async () => {
    const queue = `qa.collect-stream-drain.${randomUUID()}`;
    await filledStream(queue, 300);
    const db = path.join(dir, `${randomUUID()}.db`);
    const exchange = `qa.collect-stream-drain.x.${randomUUID()}`;
    exchanges.push(exchange);
    const r = await runPayops(
      ['collect', '--amqp', AMQP_URL, '--exchange', exchange, '--queue', queue, '--queue-type', 'stream', '--stream-offset', 'first', '--db', db, '--drain', '--json'],
      {},
      45_000,
    );
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    const summary = lastJson<{ events: number; stoppedBecause: string }>(r.stdout);
    expect(summary.stoppedBecause).toBe('drained');
    expect(summary.events).toBe(300);
  }, 60_000);
});
