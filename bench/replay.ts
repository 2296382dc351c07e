// bench:replay — in one run, on two data sets (the simulator's traffic and PaySim-derived
// events, 300,000 each by default, generated once into the OS temp folder and reused): (a) the
// physical ceiling (parse, insert into one table with the identity key and a time index) and
// (b) `payops replay --speed max`, side by side; prints both rates, the ratio b/a (goal >= 0.8),
// the peak RSS of (b) (goal < 300 MB; VmHWM of the child process, its engine worker thread
// included) and the bytes per stored event (goal <= 400).
// BENCH_REPLAY_EVENTS=N for another size; BENCH_REPLAY_DATA=simulator|paysim for one data set;
// BENCH_REPLAY_WITHOUT_RULES=1 adds (c), the replay with no alert rules (storage and pipeline alone).
// BENCH_REPLAY_RUNS=N (default 3) runs each pair N times and reports the median: one run's peak RSS
// swings by up to 90 MB on this machine, so one run says little about the 300 MB goal.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createTrafficGenerator } from '../electron/core/sim/trafficGenerator';
import { PAYOPS_BIN, fmt, lastJsonLine, runNode } from './benchSupport';
import { bytesInUse } from './bareStore';
import { ensurePaysimCapture } from './paysimCapture';

const CAPTURE_VERSION = 1;

async function ensureCapture(n: number): Promise<string> {
  const file = path.join(os.tmpdir(), `payops-bench-replay-v${CAPTURE_VERSION}-${n}.ndjson`);
  if (fs.existsSync(file)) return file;
  const t0 = Date.now();
  const tmp = `${file}.${process.pid}.tmp`;
  const out = fs.createWriteStream(tmp);
  // 1,000 events per second of event time: a million events span about 17 minutes.
  const gen = createTrafficGenerator({ seed: 1, scenario: 'normal', startMs: Date.UTC(2026, 10, 23, 0, 0, 0), rate: 1000 });
  let chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    chunk.push(JSON.stringify(gen.next()));
    if (chunk.length === 5000 || i === n - 1) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end();
  await once(out, 'finish');
  fs.renameSync(tmp, file);
  console.log(`generated ${file} (${fmt(fs.statSync(file).size / 1e6)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}

/** VmHWM (peak) and VmRSS (now) of a process, all its threads included. */
function memoryOf(pid: number): { hwm: number; rss: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
    const hwm = kb('VmHWM');
    return Number.isFinite(hwm) ? { hwm, rss: kb('VmRSS') } : null;
  } catch {
    return null;
  }
}

/**
 * Bytes per stored event: in use in the whole file (pages minus free pages, indexes and rollups
 * included), and where they go (SQLite's dbstat): the events with their indexes (what issue 12's
 * "bytes per stored event, indexes included" names), and the rollups written beside them.
 */
function bytesPerEvent(dbFile: string, events: number): { total: number; eventLog: number; rollups: number; other: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT tbl_name AS t, SUM(pgsize) AS b FROM dbstat JOIN sqlite_schema USING (name) GROUP BY tbl_name').all() as { t: string; b: number }[];
    const part = { eventLog: 0, rollups: 0, other: 0 };
    for (const r of rows) {
      if (r.t.startsWith('event_')) part.eventLog += r.b; // the log, its overflow, sources and payment index
      else if (r.t.startsWith('rollup_') || r.t.startsWith('segment_')) part.rollups += r.b;
      else part.other += r.b;
    }
    return { total: bytesInUse(db) / events, eventLog: part.eventLog / events, rollups: part.rollups / events, other: part.other / events };
  } finally {
    db.close();
  }
}

interface PairResult {
  label: string;
  ratio: number;
  peakRss: number;
  bytesPerEvent: number;
  eventLogBytesPerEvent: number;
  bareBytesPerEvent: number;
}

/** (a) the bare ceiling and (b) payops replay on one capture, one after the other. */
async function runPair(label: string, run: string, file: string, n: number, dir: string): Promise<PairResult> {
  console.log(`\n[${label}] ${run}: ${fmt(n)} events, ${fmt(fs.statSync(file).size / 1e6)} MB capture`);
  // Each run writes files of its own: a second run must not find the first one's database.
  const runDir = fs.mkdtempSync(path.join(dir, `${label}-`));
  // (a) the ceiling
  const a = await runNode([path.join(__dirname, 'bareReplay.js'), file, path.join(runDir, 'bare.db')]);
  if (a.code !== 0) throw new Error(`bare insert: ${a.stderr}`);
  const bare = lastJsonLine<{ events: number; ms: number; cpuMs: number; bytes: number }>(a.stdout);
  if (bare.events !== n) throw new Error(`bare insert stored ${bare.events} of ${n}`);
  const rateA = bare.events / (bare.ms / 1000);

  // (b) payops replay --speed max, its peak RSS sampled from /proc while it runs
  let peak = 0;
  const rssSamples: number[] = [];
  let timer: NodeJS.Timeout | null = null;
  const replayDb = path.join(runDir, 'replay.db');
  const b = await runNode([PAYOPS_BIN, 'replay', file, '--db', replayDb, '--speed', 'max', '--json'], (pid) => {
    timer = setInterval(() => {
      const m = memoryOf(pid);
      if (m === null) return;
      peak = Math.max(peak, m.hwm);
      rssSamples.push(m.rss);
    }, 100);
  });
  if (timer) clearInterval(timer);
  if (b.code !== 0) throw new Error(`payops replay: ${b.stderr}`);
  const summary = lastJsonLine<{ events: number; durationMs: number; peakRssBytes: number; cpuMs: number }>(b.stdout);
  if (summary.events !== n) throw new Error(`payops replay stored ${summary.events} of ${n}`);
  const rateB = summary.events / (summary.durationMs / 1000);
  const peakRss = Math.max(peak, summary.peakRssBytes ?? 0);
  const { total: perEvent, ...parts } = bytesPerEvent(replayDb, n);

  // (c) optionally, the same replay with no alert rules: storage and pipeline alone.
  let rateC: number | null = null;
  if (process.env.BENCH_REPLAY_WITHOUT_RULES === '1') {
    const rules = path.join(runDir, 'no-rules.json');
    fs.writeFileSync(rules, JSON.stringify({ version: 1, rules: [] }));
    const c = await runNode([PAYOPS_BIN, 'replay', file, '--db', path.join(runDir, 'norules.db'), '--speed', 'max', '--json', '--rules', rules]);
    if (c.code !== 0) throw new Error(`payops replay without rules: ${c.stderr}`);
    const sc = lastJsonLine<{ events: number; durationMs: number }>(c.stdout);
    rateC = sc.events / (sc.durationMs / 1000);
  }

  console.log(`(a) bare parse + insert (one table: identity key + time index): ${fmt(rateA)} events/s (${(bare.ms / 1000).toFixed(1)} s)`);
  console.log(`(b) payops replay --speed max (explorer indexes built at the end): ${fmt(rateB)} events/s (${(summary.durationMs / 1000).toFixed(1)} s)`);
  console.log(`[${label}] ratio b/a: ${(rateB / rateA).toFixed(3)} (goal >= 0.8)`);
  if (rateC !== null) console.log(`(c) payops replay with no alert rules: ${fmt(rateC)} events/s, ratio c/a ${(rateC / rateA).toFixed(3)}`);
  // Wall-clock rates swing with other load on the machine; CPU time per event much less.
  console.log(
    `CPU time: (a) ${(bare.cpuMs / 1000).toFixed(1)} s, (b) ${(summary.cpuMs / 1000).toFixed(1)} s (all threads); ` +
      `CPU-time ratio a/b ${(bare.cpuMs / summary.cpuMs).toFixed(3)}`,
  );
  console.log(`peak RSS of (b): ${fmt(peakRss / 1e6)} MB (VmHWM ${fmt(peak / 1e6)} MB sampled, maxRSS ${fmt((summary.peakRssBytes ?? 0) / 1e6)} MB; goal < 300 MB)`);
  console.log(`bytes per stored event, indexes and rollups included: (b) ${fmt(perEvent)} (goal <= 400); (a) ${fmt(bare.bytes / n)}`);
  console.log(
    `  of which: the event log with its indexes ${fmt(parts.eventLog)}, rollups (per second, minute, ten minutes, segments) ${fmt(parts.rollups)}, ` +
      `everything else ${fmt(parts.other)}`,
  );
  // Bounded memory: RSS should level off early, not grow with the part of the file read.
  const at = (q: number) => fmt((rssSamples[Math.min(rssSamples.length - 1, Math.floor(q * rssSamples.length))] ?? 0) / 1e6);
  console.log(`RSS of (b) through the run: 10% ${at(0.1)} MB, 25% ${at(0.25)} MB, 50% ${at(0.5)} MB, 75% ${at(0.75)} MB, 95% ${at(0.95)} MB`);
  fs.rmSync(runDir, { recursive: true, force: true });
  return { label, ratio: rateB / rateA, peakRss, bytesPerEvent: perEvent, eventLogBytesPerEvent: parts.eventLog, bareBytesPerEvent: bare.bytes / n };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One data set's runs in one line: medians, with the range and how many runs met the RSS goal. */
function summarize(label: string, runs: PairResult[]): string {
  const ratios = runs.map((r) => r.ratio);
  const rss = runs.map((r) => r.peakRss / 1e6);
  const under = rss.filter((mb) => mb < 300).length;
  return (
    `  ${label} (${runs.length} run${runs.length === 1 ? '' : 's'}): ratio median ${median(ratios).toFixed(3)} ` +
    `(${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}), ` +
    `peak RSS median ${fmt(median(rss))} MB (${fmt(Math.min(...rss))}-${fmt(Math.max(...rss))}; ${under} of ${runs.length} under 300 MB), ` +
    `${fmt(median(runs.map((r) => r.bytesPerEvent)))} bytes/event (event log and its indexes ${fmt(median(runs.map((r) => r.eventLogBytesPerEvent)))})`
  );
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_REPLAY_EVENTS ?? 300_000);
  const runs = Number(process.env.BENCH_REPLAY_RUNS ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_REPLAY_RUNS must be a whole number of at least 1, not ${process.env.BENCH_REPLAY_RUNS}`);
  const only = process.env.BENCH_REPLAY_DATA; // 'simulator' or 'paysim': one data set only
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-replay-'));
  console.log(`bench:replay: ${fmt(n)} events per data set, ${runs} run(s) each, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  try {
    const sets: { label: string; file: string }[] = [];
    if (only !== 'paysim') sets.push({ label: 'simulator', file: await ensureCapture(n) });
    if (only !== 'simulator') sets.push({ label: 'paysim', file: await ensurePaysimCapture(n) });
    const results = new Map<string, PairResult[]>(sets.map((s) => [s.label, []]));
    // Data sets take turns run by run, so a stretch of load on the machine falls on both.
    for (let k = 1; k <= runs; k++) {
      for (const s of sets) results.get(s.label)!.push(await runPair(s.label, `run ${k} of ${runs}`, s.file, n, dir));
    }
    console.log('\nsummary:');
    for (const [label, pairs] of results) console.log(summarize(label, pairs));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:replay failed: ${(err as Error).message}`);
  process.exit(1);
});
