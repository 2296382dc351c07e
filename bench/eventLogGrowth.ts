// bench:growth — whether storing an event stays as cheap as the database grows. The other
// benchmarks write 100,000-300,000 events into a fresh file, where every index fits in the page
// cache; an operator's database holds millions. In one run, on the simulator's traffic and on
// PaySim-derived events, the same events are written in transactions of the ingest default
// (2,000) into a fresh file per variant, and each quarter of the run is timed on its own:
//   payops live      EventRepository.insert with every index a live session keeps, the payment,
//                    merchant and identity indexes sealed behind it as EventWriter does
//   payops replay    the same, the explorer's indexes dropped and the seals deferred (as a replay)
//   bare, hash key   the ceilings' store (bench/bareStore.ts): the identity hash unique, a time index
//   bare, time key   the same table, its unique key (time_ms, ident): event time first
// It prints µs per event per quarter, the last quarter over the first, and the bytes the
// process wrote (WAL and checkpoints) per event. Synchronous NORMAL: B-tree and WAL work, not fsync.
// BENCH_GROWTH_EVENTS=N (default 1,000,000 per data set).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_INGEST_BATCH } from '../electron/core/ingest/batchWithinCredit';
import { openDatabase } from '../electron/core/store/database';
import { EventRepository } from '../electron/core/store/eventRepository';
import { deferExplorerIndexes } from '../electron/core/store/explorerIndexes';
import { MerchantIndex } from '../electron/core/store/merchantIndex';
import { PaymentIndex } from '../electron/core/store/paymentIndex';
import { bareRow, openBareStore, type BareRow } from './bareStore';
import { decodeAll, fmt, realisticBodies } from './benchSupport';
import { ensurePaysimCapture } from './paysimCapture';

const QUARTERS = 4;

/** Writes one batch of bodies (decoding, when the variant decodes, is done before the clock starts). */
type Writer = { prepare(bodies: Buffer[]): unknown; write(prepared: unknown): void; close(): void };

function payopsWriter(file: string, explorerIndexes: boolean): Writer {
  const db = openDatabase(file, { durability: 'normal' });
  if (!explorerIndexes) deferExplorerIndexes(db);
  const repo = new EventRepository(db);
  const paymentIndex = new PaymentIndex(db);
  const merchantIndex = new MerchantIndex(db);
  const write = db.transaction((events: ReturnType<typeof decodeAll>) => {
    for (const e of events) repo.insert(e, e.timeMs ?? 0, e.timeMs ?? 0, e.type);
    paymentIndex.sealIfDue(); // as EventWriter does at the end of each batch
    merchantIndex.sealIfDue();
    repo.sealIdentitiesIfDue();
  });
  return { prepare: (bodies) => decodeAll(bodies), write: (p) => write(p as ReturnType<typeof decodeAll>), close: () => db.close() };
}

function bareWriter(file: string, uniqueKey: 'ident' | 'time_ms, ident'): Writer {
  const store = openBareStore(file, { synchronous: 'NORMAL', cacheKb: 16384 }, uniqueKey);
  return { prepare: (bodies) => bodies.map((b) => bareRow(b.toString('utf8'))), write: (p) => store.commit(p as BareRow[]), close: () => store.close() };
}

function writtenBytes(): number {
  const m = /write_bytes: (\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const VARIANTS: { label: string; open: (file: string) => Writer }[] = [
  { label: 'payops live (all indexes)', open: (f) => payopsWriter(f, true) },
  { label: 'payops replay (explorer deferred)', open: (f) => payopsWriter(f, false) },
  { label: 'bare, hash key', open: (f) => bareWriter(f, 'ident') },
  { label: 'bare, time key', open: (f) => bareWriter(f, 'time_ms, ident') },
];

function run(label: string, bodies: Buffer[], dir: string): void {
  const n = bodies.length;
  const quarter = Math.ceil(n / QUARTERS);
  console.log(`\n[${label}] ${fmt(n)} events, transactions of ${fmt(DEFAULT_INGEST_BATCH)}; µs per event in each quarter of the run`);
  for (const v of VARIANTS) {
    const file = path.join(dir, `${label}-${v.label.replace(/\W+/g, '-')}.db`);
    const writer = v.open(file);
    const perQuarter = new Array<number>(QUARTERS).fill(0);
    const bytesBefore = writtenBytes();
    try {
      for (let i = 0; i < n; i += DEFAULT_INGEST_BATCH) {
        const prepared = writer.prepare(bodies.slice(i, i + DEFAULT_INGEST_BATCH));
        const started = performance.now();
        writer.write(prepared);
        perQuarter[Math.floor(i / quarter)] += performance.now() - started;
      }
    } finally {
      writer.close();
    }
    const written = (writtenBytes() - bytesBefore) / n;
    const us = perQuarter.map((ms) => (ms * 1000) / quarter);
    console.log(
      `  ${v.label.padEnd(34)} ${us.map((x) => x.toFixed(1).padStart(6)).join(' ')}   last/first ${(us[QUARTERS - 1] / us[0]).toFixed(2)}   written ${fmt(Math.round(written))} bytes/event, file ${fmt(Math.round(fs.statSync(file).size / n))}`,
    );
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_GROWTH_EVENTS ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-growth-'));
  console.log(`bench:growth: ${fmt(n)} events per data set, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  try {
    run('simulator', realisticBodies(n).map((b) => b.body), dir);
    const lines = fs.readFileSync(await ensurePaysimCapture(n), 'utf8').split('\n').filter((l) => l.length > 0);
    run('paysim', lines.map((l) => Buffer.from(l)), dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:growth failed: ${(err as Error).message}`);
  process.exit(1);
});
