// bench:writer — what storing costs payops's engine thread, without a broker. bench:ingest's
// ratio on this machine moves with the broker's CPU per message, which doubles from one run
// to the next (BENCHMARKS.md, "The broker's two costs per message"); this one has no broker,
// so a change to the write path shows here first. In one run, on the simulator's traffic and
// on PaySim-derived events, the same decoded messages are committed in transactions of
// DEFAULT_INGEST_BATCH (a broker session's batch):
//   (a) the ceilings' store (bench/bareStore.ts): the identity key and a time index, nothing else;
//   (b) payops's EventWriter with the explorer's indexes kept up (a live session);
//   (c) the same with them deferred and built at the end, the build included (a bulk load: a
//       replay, a drain).
// Each side decodes nothing in the timed part (decoding runs on the consumer thread), and
// writes to a fresh file with synchronous NORMAL, so the figures are CPU and B-tree work, not
// the disk's fsync. Rounds interleave the sides; medians. BENCH_WRITER_EVENTS (default
// 100,000 per data set), BENCH_WRITER_ROUNDS (default 3), BENCH_WRITER_DATA=simulator|paysim.
//
// BENCH_WRITER_COUNT=instructions counts instructions instead of timing (valgrind's callgrind,
// which counts the same for the same work whatever else the machine does): each side runs in
// a child under callgrind twice, once storing BENCH_WRITER_EVENTS (default 20,000 in this mode)
// and once storing none, and the difference is divided by the events. Here decoding (payops)
// and JSON.parse (the ceiling) are counted with the store. Two runs of one tree differ by ~2 %
// (the JIT's timing), against ~30 % for CPU time on this machine. Callgrind counts what runs
// in the process, not the kernel's work: writing dirty pages to the WAL, which is most of what
// the explorer's indexes cost, does not show there (time it with the default mode).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeMessage } from '../shared/events/decode';
import type { RawMessage } from '../shared/events/eventTypes';
import { DEFAULT_INGEST_BATCH } from '../electron/core/ingest/batchWithinCredit';
import { openStore, type Store } from '../electron/core/store/store';
import type { IncomingMessage } from '../electron/core/store/eventWriter';
import { bareRow, openBareStore, type BareRow, type BareStore } from './bareStore';
import { fmt, realisticBodies } from './benchSupport';
import { ensurePaysimCapture } from './paysimCapture';

interface Cost {
  cpuUs: number;
  wallUs: number;
}

type Side = 'bare' | 'live' | 'bulk';
const SIDES: { side: Side; label: string }[] = [
  { side: 'bare', label: '(a) the ceilings\' store' },
  { side: 'live', label: '(b) payops, explorer indexes kept up' },
  { side: 'bulk', label: '(c) payops, explorer indexes built at the end' },
];

/** CPU (every thread of the process, so collection helpers too) and wall time per event of `work`. */
function measure(n: number, work: () => void): Cost {
  const cpu = process.cpuUsage();
  const started = performance.now();
  work();
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / n, wallUs: ((performance.now() - started) * 1000) / n };
}

function freshFile(dir: string, name: string): string {
  const file = path.join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

const openBare = (dir: string) => openBareStore(freshFile(dir, 'bare.db'), { synchronous: 'NORMAL', cacheKb: 16384 });
const openPayops = (dir: string, bulk: boolean) => openStore(freshFile(dir, bulk ? 'bulk.db' : 'live.db'), { durability: 'normal' });

/** Messages as the consumer thread hands them to the engine thread: decoded. */
function decodedMessages(texts: string[]): IncomingMessage[] {
  return texts.map((text, i) => {
    const raw: RawMessage = { body: Buffer.from(text), arrivalMs: 1_700_000_000_000 + i, routingKey: null, headers: null, contentType: 'application/cloudevents+json' };
    const result = decodeMessage(raw, {});
    if (!result.ok) throw new Error(`message ${i} does not decode: ${result.reason}`);
    return { raw, result };
  });
}

function storeBare(store: BareStore, rows: BareRow[]): void {
  for (let i = 0; i < rows.length; i += DEFAULT_INGEST_BATCH) store.commit(rows.slice(i, i + DEFAULT_INGEST_BATCH));
}

/** What a session does with its messages: commits them in batches, the explorer's indexes kept up or built at the end. */
function storePayops(store: Store, items: IncomingMessage[], bulk: boolean): void {
  if (bulk) store.deferExplorerIndexes();
  for (let i = 0; i < items.length; i += DEFAULT_INGEST_BATCH) store.ingest.commit(items.slice(i, i + DEFAULT_INGEST_BATCH));
  if (bulk) store.buildExplorerIndexes();
}

function runBare(dir: string, texts: string[]): Cost {
  const rows = texts.map(bareRow);
  const store = openBare(dir);
  try {
    return measure(rows.length, () => storeBare(store, rows));
  } finally {
    store.close();
  }
}

function runPayops(dir: string, texts: string[], bulk: boolean): Cost {
  // Decoded before the clock starts, as the consumer thread hands them over.
  const items = decodedMessages(texts);
  const store = openPayops(dir, bulk);
  try {
    return measure(items.length, () => storePayops(store, items, bulk));
  } finally {
    store.close();
  }
}

/** "   ratio a/b 0.224" for a payops side, from the ceiling's cost and the side's (CPU or instructions per event). */
function ratioText(side: Side, bare: number, cost: number): string {
  return side === 'bare' ? '' : `   ratio a/${side === 'live' ? 'b' : 'c'} ${(bare / cost).toFixed(3)}`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runDataSet(label: string, texts: string[], rounds: number, dir: string): void {
  console.log(`\n[${label}] ${fmt(texts.length)} events, transactions of ${fmt(DEFAULT_INGEST_BATCH)}`);
  const costs = new Map<Side, Cost[]>(SIDES.map((s) => [s.side, []]));
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    for (const { side } of SIDES) {
      const cost = side === 'bare' ? runBare(dir, texts) : runPayops(dir, texts, side === 'bulk');
      costs.get(side)!.push(cost);
      line.push(`${side} ${cost.cpuUs.toFixed(1)}`);
    }
    console.log(`  round ${round}: CPU us/event ${line.join(', ')}`);
  }
  const bareCpu = median(costs.get('bare')!.map((c) => c.cpuUs));
  for (const { side, label: sideLabel } of SIDES) {
    const cpu = median(costs.get(side)!.map((c) => c.cpuUs));
    const wall = median(costs.get(side)!.map((c) => c.wallUs));
    console.log(`  ${sideLabel.padEnd(48)} CPU ${cpu.toFixed(1)} us/event, wall ${wall.toFixed(1)} us/event${ratioText(side, bareCpu, cpu)}`);
  }
}

async function loadTexts(data: 'simulator' | 'paysim', n: number): Promise<string[]> {
  if (data === 'simulator') return realisticBodies(n).map((b) => b.body.toString());
  return fs.readFileSync(await ensurePaysimCapture(n), 'utf8').split('\n').filter((l) => l.length > 0).slice(0, n);
}

/** A child under callgrind (BENCH_WRITER_CHILD=data:side:loaded:stored): loads `loaded` events, stores the first `stored`. */
async function child(spec: string): Promise<void> {
  const [data, side, loaded, stored] = spec.split(':');
  const texts = await loadTexts(data as 'simulator' | 'paysim', Number(loaded));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-writer-'));
  try {
    // Parsing or decoding is counted with the store here: it happens after the load.
    const some = texts.slice(0, Number(stored));
    if (side === 'bare') {
      const store = openBare(dir);
      storeBare(store, some.map(bareRow));
      store.close();
      return;
    }
    const store = openPayops(dir, side === 'bulk');
    storePayops(store, decodedMessages(some), side === 'bulk');
    store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Instructions callgrind counted in a child storing `stored` of `loaded` events. */
function instructions(data: string, side: Side, loaded: number, stored: number): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      'valgrind',
      ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, __filename],
      { env: { ...process.env, BENCH_WRITER_CHILD: `${data}:${side}:${loaded}:${stored}` }, maxBuffer: 1 << 24 },
      (err, _stdout, stderr) => {
        const m = /Collected : (\d+)/.exec(stderr);
        if (err || !m) reject(new Error(err ? `valgrind (is it installed?): ${err.message}` : `no instruction count in callgrind's output: ${stderr.slice(-300)}`));
        else resolve(Number(m[1]));
      },
    );
  });
}

async function countInstructions(n: number, only: string | undefined): Promise<void> {
  console.log(`bench:writer (instructions, callgrind): ${fmt(n)} events per data set, transactions of ${fmt(DEFAULT_INGEST_BATCH)}; decoding or JSON.parse counted with the store`);
  for (const data of ['simulator', 'paysim'] as const) {
    if (only && only !== data) continue;
    console.log(`\n[${data === 'paysim' ? 'PaySim-derived' : 'simulator'}]`);
    if (data === 'paysim') await ensurePaysimCapture(n); // generated once, outside the counts
    const perEvent = new Map<Side, number>();
    for (const { side, label } of SIDES) {
      // Two children at a time: the counts do not depend on what else runs.
      const [all, none] = await Promise.all([instructions(data, side, n, n), instructions(data, side, n, 0)]);
      perEvent.set(side, (all - none) / n);
      console.log(`  ${label.padEnd(48)} ${fmt(Math.round(perEvent.get(side)! / 1000))} thousand instructions/event${ratioText(side, perEvent.get('bare')!, perEvent.get(side)!)}`);
    }
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_WRITER_CHILD) return child(process.env.BENCH_WRITER_CHILD);
  if (process.env.BENCH_WRITER_COUNT === 'instructions') {
    return countInstructions(Number(process.env.BENCH_WRITER_EVENTS ?? 20_000), process.env.BENCH_WRITER_DATA);
  }
  const n = Number(process.env.BENCH_WRITER_EVENTS ?? 100_000);
  const rounds = Number(process.env.BENCH_WRITER_ROUNDS ?? 3);
  const only = process.env.BENCH_WRITER_DATA;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-writer-'));
  console.log(`bench:writer: ${fmt(n)} events per data set, ${rounds} round(s), ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; medians`);
  try {
    if (only !== 'paysim') runDataSet('simulator', await loadTexts('simulator', n), rounds, dir);
    if (only !== 'simulator') runDataSet('PaySim-derived', await loadTexts('paysim', n), rounds, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:writer failed: ${(err as Error).message}`);
  process.exit(1);
});
