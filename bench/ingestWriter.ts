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

async function main(): Promise<void> {
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
