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
import { openStore } from '../electron/core/store/store';
import type { IncomingMessage } from '../electron/core/store/eventWriter';
import { bareRow, openBareStore, type BareRow } from './bareStore';
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

function runBare(dir: string, texts: string[]): Cost {
  const rows: BareRow[] = texts.map(bareRow);
  const store = openBareStore(freshFile(dir, 'bare.db'), { synchronous: 'NORMAL', cacheKb: 16384 });
  try {
    return measure(rows.length, () => {
      for (let i = 0; i < rows.length; i += DEFAULT_INGEST_BATCH) store.commit(rows.slice(i, i + DEFAULT_INGEST_BATCH));
    });
  } finally {
    store.close();
  }
}

function runPayops(dir: string, bodies: Buffer[], bulk: boolean): Cost {
  // Decoded before the clock starts, as the consumer thread hands them over.
  const items: IncomingMessage[] = bodies.map((body, i) => {
    const raw: RawMessage = { body, arrivalMs: 1_700_000_000_000 + i, routingKey: null, headers: null, contentType: 'application/cloudevents+json' };
    return { raw, result: decodeMessage(raw, {}) };
  });
  const bad = items.findIndex((m) => !m.result.ok);
  if (bad >= 0) throw new Error(`message ${bad} does not decode`);
  const store = openStore(freshFile(dir, bulk ? 'bulk.db' : 'live.db'), { durability: 'normal' });
  try {
    return measure(items.length, () => {
      if (bulk) store.deferExplorerIndexes();
      for (let i = 0; i < items.length; i += DEFAULT_INGEST_BATCH) store.ingest.commit(items.slice(i, i + DEFAULT_INGEST_BATCH));
      if (bulk) store.buildExplorerIndexes();
    });
  } finally {
    store.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runDataSet(label: string, texts: string[], rounds: number, dir: string): void {
  const bodies = texts.map((t) => Buffer.from(t));
  console.log(`\n[${label}] ${fmt(texts.length)} events, transactions of ${fmt(DEFAULT_INGEST_BATCH)}`);
  const costs = new Map<Side, Cost[]>(SIDES.map((s) => [s.side, []]));
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    for (const { side } of SIDES) {
      const cost = side === 'bare' ? runBare(dir, texts) : runPayops(dir, bodies, side === 'bulk');
      costs.get(side)!.push(cost);
      line.push(`${side} ${cost.cpuUs.toFixed(1)}`);
    }
    console.log(`  round ${round}: CPU us/event ${line.join(', ')}`);
  }
  const bareCpu = median(costs.get('bare')!.map((c) => c.cpuUs));
  for (const { side, label: sideLabel } of SIDES) {
    const cpu = median(costs.get(side)!.map((c) => c.cpuUs));
    const wall = median(costs.get(side)!.map((c) => c.wallUs));
    const ratio = side === 'bare' ? '' : `   ratio a/${side === 'live' ? 'b' : 'c'} ${(bareCpu / cpu).toFixed(3)}`;
    console.log(`  ${sideLabel.padEnd(48)} CPU ${cpu.toFixed(1)} us/event, wall ${wall.toFixed(1)} us/event${ratio}`);
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
    const some = texts.slice(0, Number(stored));
    if (side === 'bare') {
      const store = openBareStore(path.join(dir, 'bare.db'), { synchronous: 'NORMAL', cacheKb: 16384 });
      for (let i = 0; i < some.length; i += DEFAULT_INGEST_BATCH) store.commit(some.slice(i, i + DEFAULT_INGEST_BATCH).map(bareRow));
      store.close();
      return;
    }
    const store = openStore(path.join(dir, 'payops.db'), { durability: 'normal' });
    if (side === 'bulk') store.deferExplorerIndexes();
    for (let i = 0; i < some.length; i += DEFAULT_INGEST_BATCH) {
      store.ingest.commit(
        some.slice(i, i + DEFAULT_INGEST_BATCH).map((text, j) => {
          const raw: RawMessage = { body: Buffer.from(text), arrivalMs: 1_700_000_000_000 + i + j, routingKey: null, headers: null, contentType: 'application/cloudevents+json' };
          return { raw, result: decodeMessage(raw, {}) };
        }),
      );
    }
    if (side === 'bulk') store.buildExplorerIndexes();
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
    await loadTexts(data, n); // the PaySim capture is generated once, outside the counts
    const perEvent = new Map<Side, number>();
    for (const { side, label } of SIDES) {
      // Two children at a time: the counts do not depend on what else runs.
      const [all, none] = await Promise.all([instructions(data, side, n, n), instructions(data, side, n, 0)]);
      perEvent.set(side, (all - none) / n);
      const ratio = side === 'bare' ? '' : `   ratio a/${side === 'live' ? 'b' : 'c'} ${(perEvent.get('bare')! / perEvent.get(side)!).toFixed(3)}`;
      console.log(`  ${label.padEnd(48)} ${fmt(Math.round(perEvent.get(side)! / 1000))} thousand instructions/event${ratio}`);
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
    if (only !== 'paysim') runDataSet('simulator', realisticBodies(n).map((b) => b.body.toString()), rounds, dir);
    if (only !== 'simulator') {
      const lines = fs.readFileSync(await ensurePaysimCapture(n), 'utf8').split('\n').filter((l) => l.length > 0);
      runDataSet('PaySim-derived', lines, rounds, dir);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:writer failed: ${(err as Error).message}`);
  process.exit(1);
});
