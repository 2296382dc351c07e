// bench:stream — ingest from a RabbitMQ stream queue, side by side in one run, on the
// simulator-like mix and on PaySim-derived events: (a) a bare amqplib stream consumer
// (x-stream-offset first, prefetch 1000, JSON.parse, an ack with multiple=true every 500) and
// (b) `payops replay --from-stream` into a new database (decode, validation, batches in one
// SQLite transaction with the stream offset stored in it, rollups, metrics, default alerts).
// (c) the floor of storing (bench/bareStoringConsumer.ts in stream mode): the bare consumer's
// receive and parse, one table, a transaction per 5,000 messages, an ack after each commit.
// Rate = messages / (last ack - first delivery). All read the same stream from its start.
// BENCH_STREAM_EVENTS=N (default 100,000 per data set).
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AMQP_URL, PAYOPS_BIN, fmt, lastJsonLine, realisticBodies, runNode } from './benchSupport';
import { ensurePaysimCapture } from './paysimCapture';

interface Timing {
  firstDeliveryMs: number | null;
  lastAckMs: number | null;
  acknowledged?: number;
  received?: number;
}

async function fillStream(queue: string, bodies: Buffer[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  for (let i = 0; i < bodies.length; i++) {
    ch.sendToQueue(queue, bodies[i], { contentType: 'application/cloudevents+json' });
    if (i % 5000 === 4999) await ch.waitForConfirms();
  }
  await ch.waitForConfirms();
  await conn.close();
}

async function deleteQueue(queue: string): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.deleteQueue(queue).catch(() => undefined);
  await conn.close();
}

const rate = (n: number, t: Timing) => n / (((t.lastAckMs ?? 0) - (t.firstDeliveryMs ?? 0)) / 1000);

async function runPair(label: string, bodies: Buffer[], dir: string): Promise<number> {
  const n = bodies.length;
  const queue = `bench.stream.${randomUUID().slice(0, 8)}`;
  try {
    await fillStream(queue, bodies);
    const a = await runNode([path.join(__dirname, 'bareConsumer.js'), AMQP_URL, queue, String(n), 'stream']);
    if (a.code !== 0) throw new Error(`bare stream consumer: ${a.stderr}`);
    const bare = lastJsonLine<Timing & { cpuMs: number }>(a.stdout);
    const b = await runNode([PAYOPS_BIN, 'replay', '--from-stream', queue, '--amqp', AMQP_URL, '--stream-offset', 'first', '--db', path.join(dir, `${label}.db`), '--drain', '--idle-ms', '1500', '--json']);
    if (b.code !== 0) throw new Error(`payops replay --from-stream: ${b.stderr}`);
    const summary = lastJsonLine<{ events: number; ingest: Timing | null }>(b.stdout);
    if (summary.events !== n || !summary.ingest) throw new Error(`payops stored ${summary.events} of ${n}`);
    const c = await runNode([path.join(__dirname, 'bareStoringConsumer.js'), AMQP_URL, queue, String(n), path.join(dir, `${label}-storing.db`), 'stream']);
    if (c.code !== 0) throw new Error(`storing stream consumer: ${c.stderr}`);
    const storing = lastJsonLine<Timing & { cpuMs: number }>(c.stdout);
    const rateA = rate(n, bare);
    const rateB = rate(n, summary.ingest);
    const rateC = rate(n, storing);
    console.log(`\n[${label}] ${fmt(n)} messages in stream ${queue}`);
    console.log(`(a) bare amqplib stream consumer:          ${fmt(rateA)} messages/s`);
    console.log(`(b) payops replay --from-stream (offset in the transaction): ${fmt(rateB)} events/s`);
    console.log(`(c) the floor of storing (one table, ack after commit): ${fmt(rateC)} messages/s, ratio c/a ${(rateC / rateA).toFixed(3)}`);
    console.log(`[${label}] ratio b/a: ${(rateB / rateA).toFixed(3)} (goal >= 0.85); b/c ${(rateB / rateC).toFixed(3)}`);
    return rateB / rateA;
  } finally {
    await deleteQueue(queue);
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_STREAM_EVENTS ?? 100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-stream-'));
  console.log(`bench:stream: ${fmt(n)} messages per data set, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  try {
    const simulator = await runPair('simulator', realisticBodies(n).map((b) => b.body), dir);
    const paysimLines = fs.readFileSync(await ensurePaysimCapture(n), 'utf8').split('\n').filter((l) => l.length > 0);
    const paysim = await runPair('paysim', paysimLines.map((l) => Buffer.from(l)), dir);
    console.log(`\nsummary: simulator ratio ${simulator.toFixed(3)}, paysim ratio ${paysim.toFixed(3)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:stream failed: ${(err as Error).message}`);
  process.exit(1);
});
