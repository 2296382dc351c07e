// bench:replay — in one run, on the same capture (1,000,000 events by default, generated once
// into the OS temp folder and reused): (a) a bare parse-and-bulk-insert ceiling and (b)
// `payops replay --speed max`; prints both rates, the ratio b/a (goal >= 0.8) and the peak
// RSS of (b) (goal < 300 MB; VmHWM of the child process, its engine worker thread included).
// BENCH_REPLAY_EVENTS=N for smaller runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createTrafficGenerator } from '../electron/core/sim/trafficGenerator';
import { PAYOPS_BIN, fmt, lastJsonLine, runNode } from './benchSupport';

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

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_REPLAY_EVENTS ?? 1_000_000);
  const file = await ensureCapture(n);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-replay-'));
  console.log(`bench:replay: ${fmt(n)} events, ${fmt(fs.statSync(file).size / 1e6)} MB capture, ${os.cpus().length} cores`);
  try {
    // (a) the ceiling
    const a = await runNode([path.join(__dirname, 'bareReplay.js'), file, path.join(dir, 'bare.db')]);
    if (a.code !== 0) throw new Error(`bare insert: ${a.stderr}`);
    const bare = lastJsonLine<{ events: number; ms: number; cpuMs: number }>(a.stdout);
    if (bare.events !== n) throw new Error(`bare insert stored ${bare.events} of ${n}`);
    const rateA = bare.events / (bare.ms / 1000);

    // (b) payops replay --speed max, its peak RSS sampled from /proc while it runs
    let peak = 0;
    const rssSamples: number[] = [];
    let timer: NodeJS.Timeout | null = null;
    const b = await runNode([PAYOPS_BIN, 'replay', file, '--db', path.join(dir, 'replay.db'), '--speed', 'max', '--json'], (pid) => {
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

    console.log(`(a) bare parse + bulk insert (10,000-row txns, no rollups): ${fmt(rateA)} events/s (${(bare.ms / 1000).toFixed(1)} s)`);
    console.log(`(b) payops replay --speed max:                            ${fmt(rateB)} events/s (${(summary.durationMs / 1000).toFixed(1)} s)`);
    console.log(`ratio b/a: ${(rateB / rateA).toFixed(3)} (goal >= 0.8)`);
    // Wall-clock rates swing with other load on the machine; CPU time per event much less.
    console.log(
      `CPU time: (a) ${(bare.cpuMs / 1000).toFixed(1)} s, (b) ${(summary.cpuMs / 1000).toFixed(1)} s (both threads); ` +
        `CPU-time ratio a/b ${(bare.cpuMs / summary.cpuMs).toFixed(3)}`,
    );
    console.log(`peak RSS of (b): ${fmt(peakRss / 1e6)} MB (VmHWM ${fmt(peak / 1e6)} MB sampled, maxRSS ${fmt((summary.peakRssBytes ?? 0) / 1e6)} MB; goal < 300 MB)`);
    // Bounded memory: RSS should level off early, not grow with the part of the file read.
    const at = (q: number) => fmt((rssSamples[Math.min(rssSamples.length - 1, Math.floor(q * rssSamples.length))] ?? 0) / 1e6);
    console.log(`RSS of (b) through the run: 10% ${at(0.1)} MB, 25% ${at(0.25)} MB, 50% ${at(0.5)} MB, 75% ${at(0.75)} MB, 95% ${at(0.95)} MB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:replay failed: ${(err as Error).message}`);
  process.exit(1);
});
