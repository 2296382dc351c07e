// A replay whose work does not depend on how fast the machine runs it, for counting the engine
// thread's instructions with valgrind's callgrind (BENCHMARKS.md, twenty-third session).
//
// `payops replay` paces two parts of its work by the wall clock: snapshots (at most
// SNAPSHOT_MAX_HZ a second) and the pipeline's flush timer (a batch commits at its size or
// after flushMs). Under callgrind a replay runs ~50x slower, and slower still on a loaded
// machine, so the number of snapshots and the sizes of the batches (hence the count) followed
// the machine's load: two runs of the same tree differed by 20 %. Here the engine runs as in a
// replay's worker thread (composeEngine, the same config as `payops replay --speed max`, a
// worker with the same young generation), but with the wall clock replaced by a virtual one
// (node:test's mock timers: Date, setTimeout, setInterval) that moves only when a batch
// commits, by a fixed time per stored event (BENCH_COUNT_US_PER_EVENT, default 34 µs: the
// replay's rate on PaySim, ~29,000 events/s). Batches are then cut by count only, and
// snapshots come at the rate they would at that speed, whatever the machine does.
//
// Usage (after npm run build:core):
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//     node --single-threaded dist/bench/replayCount.js CAPTURE DB
// prints one JSON line (events stored, snapshots, alerts, batches). Per event: the count of a
// run on N lines less that of a run on one line, over N - 1. `sqlite3 DB .dump` gives the
// stored rows, rollups and alerts to compare between trees (the virtual clock makes them
// identical run to run: no wall time differs).
//
// Steady state (BENCHMARKS.md, twenty-fifth session): with BENCH_COUNT_FROM=N (and optionally
// BENCH_COUNT_TO=M), run under `valgrind --tool=callgrind --instr-atstart=no`: the harness turns
// callgrind's instrumentation on (`callgrind_control -i on`) once a committed batch brings the
// stored events to N, and off once they reach M. The count is then that of events N+1..M alone
// (warm-up and the replay's end left out), and the uninstrumented rest runs several times faster.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { mock } from 'node:test';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { composeEngine } from '../electron/core/engine/composeEngine';
import type { EngineConfig } from '../electron/core/engine/engineConfig';

/** What `payops replay` gives the engine worker (replayCommand.ts and engineHost.ts). */
const FILE_REPLAY_BATCH = 10_000;
const REPLAY_YOUNG_GEN_MB = 16;
/** The virtual wall clock's start: a fixed time after the bench captures' event times. */
const VIRTUAL_EPOCH_MS = Date.UTC(2026, 11, 7);

interface Job {
  capture: string;
  db: string;
  usPerEvent: number;
  batchSize: number;
  /** Stored events after which callgrind's instrumentation is turned on, then off (null: not toggled). */
  countFrom: number | null;
  countTo: number | null;
}

/** Turns callgrind's instrumentation of this process on or off (the harness runs under `--instr-atstart=no`). */
function instrument(on: boolean): void {
  const r = spawnSync('callgrind_control', ['-i', on ? 'on' : 'off', String(process.pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callgrind_control -i ${on ? 'on' : 'off'} failed: ${r.stderr || r.error?.message}`);
}

interface Result {
  events: number;
  duplicates: number;
  quarantined: number;
  batches: number;
  snapshots: number;
  alerts: number;
  virtualMs: number;
}

async function runInWorker(job: Job): Promise<Result> {
  // Saved before the mock replaces them: the end of the replay is awaited in real time.
  const realImmediate = setImmediate;
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: VIRTUAL_EPOCH_MS });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(job.db + suffix, { force: true });
  const config: EngineConfig = {
    dbFile: job.db,
    session: 'replay',
    replay: { file: job.capture, speed: 'max' },
    batchSize: job.batchSize,
    flushMs: 1000,
    rulesFile: null,
  };
  let snapshots = 0;
  let alerts = 0;
  let drained = false;
  const session = composeEngine(config, {
    // A snapshot crosses to the host thread as a structured clone: counted here too.
    snapshot: (s) => {
      snapshots += 1;
      structuredClone(s);
    },
    alert: (n) => {
      alerts += 1;
      structuredClone(n);
    },
    log: () => undefined,
    drained: () => (drained = true),
  });
  let batches = 0;
  let virtualMs = 0;
  let owedUs = 0;
  let stored = 0;
  session.engine.onCommitted((outcome) => {
    batches += 1;
    const before = stored;
    stored += outcome.inserted.length;
    if (job.countFrom !== null && before < job.countFrom && stored >= job.countFrom) instrument(true);
    if (job.countTo !== null && before < job.countTo && stored >= job.countTo) instrument(false);
    owedUs += (outcome.inserted.length + outcome.duplicates + outcome.quarantined) * job.usPerEvent;
    const ms = Math.floor(owedUs / 1000);
    owedUs -= ms * 1000;
    virtualMs += ms;
    mock.timers.tick(ms);
  });
  await session.start();
  // The replay source's own promise (the engine keeps the source private): awaited, not polled,
  // so the wait costs nothing per wall-clock interval.
  const source = (session.engine as unknown as { source: { finished: Promise<void> } }).source;
  await source.finished;
  // The last partial batch is committed by the engine's end-of-source check (every 50 ms).
  while (!drained) {
    mock.timers.tick(50);
    virtualMs += 50;
    await new Promise((resolve) => realImmediate(resolve));
  }
  await session.stop();
  const stats = session.engine.snapshot().totals;
  mock.timers.reset();
  return { events: stats.events, duplicates: stats.duplicates, quarantined: stats.quarantined, batches, snapshots, alerts, virtualMs };
}

if (isMainThread) {
  const [capture, db] = process.argv.slice(2);
  if (!capture || !db) {
    console.error('usage: node --single-threaded dist/bench/replayCount.js CAPTURE DB');
    process.exit(1);
  }
  const job: Job = {
    capture,
    db,
    usPerEvent: Number(process.env.BENCH_COUNT_US_PER_EVENT ?? 34),
    batchSize: Number(process.env.BENCH_COUNT_BATCH ?? FILE_REPLAY_BATCH),
    countFrom: process.env.BENCH_COUNT_FROM ? Number(process.env.BENCH_COUNT_FROM) : null,
    countTo: process.env.BENCH_COUNT_TO ? Number(process.env.BENCH_COUNT_TO) : null,
  };
  const worker = new Worker(__filename, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: REPLAY_YOUNG_GEN_MB } });
  worker.on('message', (r: Result) => console.log(JSON.stringify(r)));
  worker.on('error', (err) => {
    console.error(`replayCount failed: ${err.message}`);
    process.exitCode = 1;
  });
} else {
  runInWorker(workerData as Job).then(
    (r) => parentPort!.postMessage(r),
    (err) => {
      throw err;
    },
  );
}
