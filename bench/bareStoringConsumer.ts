// bench:ingest floor (c): the least a consumer that keeps the brief's rule ("acknowledge only
// after the transaction that stores the data") can do. The bare consumer's receive and
// JSON.parse, then the bare replay's store (bench/bareStore.ts): one table with the identity
// key (payops's own hash, unique) and one time index, in payops collect's defaults (prefetch
// 10,000, a transaction per 5,000 messages, synchronous FULL), an ack (multiple) after each
// commit. No validation, no other column or index, no rollups, alerts or metrics. From a
// stream, synchronous NORMAL, as `payops replay --from-stream` (a replay session) writes.
// Usage: node dist/bench/bareStoringConsumer.js AMQP_URL QUEUE EXPECTED DB [stream]
// prints {"received","firstDeliveryMs","lastAckMs","cpuMs"} on stdout.
import amqp from 'amqplib';
import { bareRow, openBareStore, type BareRow } from './bareStore';

const PREFETCH = 10_000;
const BATCH = 5_000;

async function main(): Promise<void> {
  const [url, queue, expectedText, dbFile, kind] = process.argv.slice(2);
  const expected = Number(expectedText);
  const store = openBareStore(dbFile, { synchronous: kind === 'stream' ? 'NORMAL' : 'FULL', cacheKb: 16384 });

  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  await ch.prefetch(PREFETCH);
  let rows: BareRow[] = [];
  let received = 0;
  let first: number | null = null;
  await new Promise<void>((resolve) => {
    void ch.consume(
      queue,
      (msg) => {
        if (!msg) return;
        first ??= Date.now();
        rows.push(bareRow(msg.content.toString('utf8')));
        received += 1;
        if (rows.length === BATCH || received === expected) {
          store.commit(rows);
          rows = [];
          ch.ack(msg, true);
        }
        if (received === expected) resolve();
      },
      { noAck: false, ...(kind === 'stream' ? { arguments: { 'x-stream-offset': 'first' } } : {}) },
    );
  });
  const last = Date.now();
  store.close();
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ received, firstDeliveryMs: first, lastAckMs: last, cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
  await conn.close();
}

main().catch((err) => {
  process.stderr.write(`bare storing consumer failed: ${(err as Error).message}\n`);
  process.exit(1);
});
