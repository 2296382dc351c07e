// bench:indexes — what the explorer's secondary B-tree indexes kept row by row
// (store/explorerIndexes.ts; since migration 280 the type index alone: the payment, merchant and
// identity indexes are filled behind ingest, sealed here as EventWriter does) cost the ingest
// transaction, at a live batch size and at a drained backlog's. In one run, on the simulator's
// traffic and on PaySim-derived events: the same decoded events are written through
// EventRepository.insert into a fresh database with all of them, none, and each alone, in transactions of BENCH_INDEX_BATCHES (default "250,5000": 250 is a live
// session's 25 ms flush at 10,000 events/s; 5,000 is collect's batch when it drains a backlog).
// Synchronous NORMAL, so the figure is the B-tree and WAL work, not the disk's fsync.
// BENCH_INDEX_EVENTS=N (default 100,000 per data set).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NormalizedEvent } from '../shared/events/eventTypes';
import { openDatabase } from '../electron/core/store/database';
import { EventRepository } from '../electron/core/store/eventRepository';
import { EXPLORER_INDEXES, type ExplorerIndex } from '../electron/core/store/explorerIndexes';
import { MerchantIndex } from '../electron/core/store/merchantIndex';
import { decodeAll, fmt, realisticBodies } from './benchSupport';
import { ensurePaysimCapture } from './paysimCapture';

const ALL = Object.keys(EXPLORER_INDEXES) as ExplorerIndex[];
const VARIANTS: { label: string; keep: ExplorerIndex[] }[] = [
  { label: 'all', keep: ALL },
  { label: 'none', keep: [] },
  ...ALL.map((name) => ({ label: `${name} alone`, keep: [name] })),
];

/** Microseconds per event to store `events` in transactions of `batch`, keeping only `keep`. */
function storeAll(dir: string, events: NormalizedEvent[], batch: number, keep: ExplorerIndex[]): number {
  const file = path.join(dir, `indexes-${batch}-${keep.join('+') || 'none'}.db`);
  const db = openDatabase(file, { durability: 'normal' });
  try {
    for (const name of ALL) if (!keep.includes(name)) db.exec(`DROP INDEX IF EXISTS ${name}`);
    const repo = new EventRepository(db);
    const merchantIndex = new MerchantIndex(db);
    const write = db.transaction((slice: NormalizedEvent[]) => {
      for (const e of slice) repo.insert(e, e.timeMs ?? 0, e.timeMs ?? 0, e.type);
      merchantIndex.sealIfDue(); // as EventWriter does
      repo.sealIdentitiesIfDue();
    });
    const started = performance.now();
    for (let i = 0; i < events.length; i += batch) write(events.slice(i, i + batch));
    return ((performance.now() - started) * 1000) / events.length;
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
}

function runDataSet(label: string, events: NormalizedEvent[], batches: number[], dir: string): void {
  console.log(`\n[${label}] ${fmt(events.length)} events`);
  for (const batch of batches) {
    // Two passes, variants interleaved, so a slow moment of the machine does not land on one.
    const runs = new Map<string, number[]>();
    for (let pass = 0; pass < 2; pass++) {
      for (const v of VARIANTS) runs.set(v.label, [...(runs.get(v.label) ?? []), storeAll(dir, events, batch, v.keep)]);
    }
    const best = (labelOf: string) => Math.min(...runs.get(labelOf)!);
    const none = best('none');
    console.log(`  transactions of ${fmt(batch)}:`);
    for (const v of VARIANTS) {
      const us = best(v.label);
      const extra = v.keep.length === 0 ? '' : `  (+${(us - none).toFixed(2)} us over none)`;
      console.log(`    ${v.label.padEnd(34)} ${us.toFixed(2)} us/event${extra}`);
    }
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_INDEX_EVENTS ?? 100_000);
  const batches = (process.env.BENCH_INDEX_BATCHES ?? '250,5000').split(',').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-indexes-'));
  console.log(`bench:indexes: ${fmt(n)} events per data set, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; best of two passes`);
  try {
    runDataSet('simulator', decodeAll(realisticBodies(n).map((b) => b.body)), batches, dir);
    const lines = fs.readFileSync(await ensurePaysimCapture(n), 'utf8').split('\n').filter((l) => l.length > 0);
    runDataSet('paysim', decodeAll(lines.map((l) => Buffer.from(l))), batches, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:indexes failed: ${(err as Error).message}`);
  process.exit(1);
});
