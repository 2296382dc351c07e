// What a start costs on a large database before ingest goes on: the file opened (migrations
// included) and the first batch committed, which builds the writer's filter of the payment ids
// stored (electron/core/store/paymentIdFilter.ts) when its attempts are of payments the restarted
// writer does not hold. Run on a copy of bench:query's database (the benchmark writes a batch and
// may migrate it):
//   npm run build:core && node dist/bench/openFirstBatch.js FILE [BATCH]
// Prints one JSON line: CPU (user + system) and wall milliseconds of the open and of the first
// batch, and the rows of payment_id_hashes after it (null before migration 382). It imports only
// what the tree before that migration has too, so the same compiled file measures both trees.
import { openDatabase } from '../electron/core/store/database';
import { EventWriter, type IncomingMessage } from '../electron/core/store/eventWriter';
import { decodeMessage } from '../shared/events/decode';

const [file, batchArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node dist/bench/openFirstBatch.js FILE [BATCH]');
const BATCH = Number(batchArg ?? 200);

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const cpu0 = cpuMs();
const wall0 = performance.now();
const db = openDatabase(file);
const writer = new EventWriter(db);
const cpu1 = cpuMs();
const wall1 = performance.now();

// New payments a second past the newest event: the restarted writer holds none of them, so it
// asks its filter whether each may be a retry of one stored.
const newest = db.prepare('SELECT MAX(time_ms) FROM event_log').pluck().get() as number;
const run = Date.now().toString(36);
const items: IncomingMessage[] = Array.from({ length: BATCH }, (_, i) => {
  const t = newest + 1_000 + i;
  const event = { specversion: '1.0', id: `open-${run}-${i}`, source: 'bench/open', type: 'payment.authorized', time: new Date(t).toISOString(), data: { paymentId: `open-${run}-${i}`, merchantId: 'm_1', amount: 100, currency: 'EUR' } };
  const raw = { body: Buffer.from(JSON.stringify(event)), headers: null, contentType: 'application/cloudevents+json', routingKey: 'payment.authorized', arrivalMs: t };
  return { raw, result: decodeMessage(raw) };
});
const cpu2 = cpuMs();
const wall2 = performance.now();
const out = writer.commit(items);
const cpu3 = cpuMs();
const wall3 = performance.now();
const hasRows = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'payment_id_hashes'").get() !== undefined;
const rows = hasRows ? (db.prepare('SELECT COUNT(*) FROM payment_id_hashes').pluck().get() as number) : null;
const events = db.prepare('SELECT MAX(seq) FROM event_log').pluck().get() as number;
db.close();
console.log(
  JSON.stringify({
    events,
    inserted: out.inserted.length,
    openCpuMs: Math.round(cpu1 - cpu0),
    openWallMs: Math.round(wall1 - wall0),
    firstBatchCpuMs: Math.round(cpu3 - cpu2),
    firstBatchWallMs: Math.round(wall3 - wall2),
    hashRows: rows,
  }),
);
