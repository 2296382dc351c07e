// bench:ingest floor (c): the least a consumer that keeps the brief's rule ("acknowledge only
// after the transaction that stores the data") can do. The bare consumer's receive and
// JSON.parse, then the bare replay's store (bench/bareReplay.ts): one table with the identity
// key (payops's own hash, unique) and one time index, in payops collect's defaults (prefetch
// 10,000, a transaction per 5,000 messages, synchronous FULL), an ack (multiple) after each
// commit. No validation, no other column or index, no rollups, alerts or metrics. From a
// stream, synchronous NORMAL, as `payops replay --from-stream` (a replay session) writes.
// Usage: node dist/bench/bareStoringConsumer.js AMQP_URL QUEUE EXPECTED DB [stream]
// prints {"received","firstDeliveryMs","lastAckMs","cpuMs"} on stdout.
import amqp from 'amqplib';
import Database from 'better-sqlite3';
import { eventIdentity } from '../electron/core/store/eventIdentity';

const PREFETCH = 10_000;
const BATCH = 5_000;

interface Ev {
  id: string;
  source: string;
  type: string;
  time?: string;
}

async function main(): Promise<void> {
  const [url, queue, expectedText, dbFile, kind] = process.argv.slice(2);
  const expected = Number(expectedText);
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${kind === 'stream' ? 'NORMAL' : 'FULL'}`);
  db.pragma('cache_size = -16384');
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 4000');
  db.exec(`CREATE TABLE bare_events (seq INTEGER PRIMARY KEY, ident INTEGER NOT NULL, time_ms INTEGER NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL);
    CREATE UNIQUE INDEX bare_events_identity ON bare_events(ident);
    CREATE INDEX bare_events_time ON bare_events(time_ms);`);
  const insert = db.prepare('INSERT INTO bare_events (ident, time_ms, type, json) VALUES (?, ?, ?, ?) ON CONFLICT (ident) DO NOTHING');
  const commit = db.transaction((batch: unknown[][]) => {
    for (const r of batch) insert.run(r);
  });

  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  await ch.prefetch(PREFETCH);
  let rows: unknown[][] = [];
  let received = 0;
  let first: number | null = null;
  await new Promise<void>((resolve) => {
    void ch.consume(
      queue,
      (msg) => {
        if (!msg) return;
        first ??= Date.now();
        const text = msg.content.toString('utf8');
        const e = JSON.parse(text) as Ev;
        rows.push([eventIdentity(e.source, e.id), Date.parse(e.time ?? ''), e.type, text]);
        received += 1;
        if (rows.length === BATCH || received === expected) {
          commit(rows);
          rows = [];
          ch.ack(msg, true);
        }
        if (received === expected) resolve();
      },
      { noAck: false, ...(kind === 'stream' ? { arguments: { 'x-stream-offset': 'first' } } : {}) },
    );
  });
  const last = Date.now();
  db.close();
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ received, firstDeliveryMs: first, lastAckMs: last, cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
  await conn.close();
}

main().catch((err) => {
  process.stderr.write(`bare storing consumer failed: ${(err as Error).message}\n`);
  process.exit(1);
});
