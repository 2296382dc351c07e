// bench:alerts — what alert evaluation costs: the default rule pack (its fraud rule groups
// by merchant) over 1,000 merchants at 20,000 events/s of event time, fed as the engine
// feeds it (committed batches of 2,000 events, the clock advanced once a second). CPU time
// of observeEvents + advanceTo is compared with the event-time span it covered: the share
// of one core that evaluation needs at that rate (goal: under 5 %). Beside it, a bare
// ceiling: just counting the same events into per-merchant per-second buckets.
//
// Usage: npm run build:core && node dist/bench/alerts.js [--seconds 300] [--rate 20000] [--merchants 1000] [--paysim 300000] [--json]
// The traffic is synthetic and seeded (a fraud burst at one merchant from 100 s, a decline
// spike from 200 s, after the baseline's warm-up), so alerts really go pending and fire.
// Then the other shape, sparse traffic over a long span: PaySim-derived events (a month of
// event time, ~8 s apart, thousands of merchants; bench/paysimCapture.ts) fed as a replay
// feeds them (batches of 5,000). There evaluation costs per tick of event time, not per event.
import fs from 'node:fs';
import { AlertEvaluator, DEFAULT_RULES, type AlertInputEvent } from '../electron/core/alerts';
import { decodeMessage } from '../shared/events/decode';
import { ensurePaysimCapture } from './paysimCapture';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = arg('seconds', 300);
const RATE = arg('rate', 20_000);
const MERCHANTS = arg('merchants', 1000);
const BATCH = 2000;
const JSON_OUT = process.argv.includes('--json');
const START = Date.UTC(2026, 10, 23, 6, 0, 0);

/** mulberry32: fixed, fast, good enough for traffic shapes. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const merchants = Array.from({ length: MERCHANTS }, (_, i) => `m_${String(i).padStart(4, '0')}`);
const countries = ['DE', 'FR', 'NL', 'GB', 'ES', 'IT', 'US', 'PL', 'SE', 'BE', 'AT', 'CH', 'DK', 'FI', 'IE', 'PT', 'CZ', 'NO', 'CA', 'AU'];

/**
 * One second of traffic written into `out` (objects reused second to second, so building
 * the input costs little and is not measured). A payment is initiated, scored, then
 * authorized (and captured), declined or failed; about 0.1 % of scores are blocked.
 */
function fillSecond(out: AlertInputEvent[], s: number, rand: () => number): void {
  const declineSpike = s >= 200 && s < 260;
  const fraudBurst = s >= 100 && s < 150;
  const base = START + s * 1000;
  for (let i = 0; i < out.length; i++) {
    const e = out[i];
    const r = rand();
    const step = i % 5;
    e.timeMs = base + Math.floor((i * 1000) / out.length);
    e.arrivalMs = e.timeMs + 20 + Math.floor(r * 300);
    // Merchants skewed a little (a few big ones), every one seen within a few seconds.
    e.merchantId = merchants[Math.floor(Math.pow(rand(), 1.3) * MERCHANTS)];
    e.country = countries[i % countries.length];
    e.score = null;
    if (step === 0) e.type = 'payment.initiated';
    else if (step === 1) {
      const blocked = fraudBurst && i % 97 === 1 ? true : r < 0.001;
      e.type = blocked ? 'risk.blocked' : r < 0.05 ? 'risk.flagged' : 'risk.scored';
      if (fraudBurst && i % 97 === 1) e.merchantId = merchants[7];
      e.score = blocked ? 90 + Math.floor(r * 10) : Math.floor(r * 80);
    } else if (step === 2) {
      const declined = r < (declineSpike ? 0.3 : 0.04);
      e.type = declined ? 'payment.declined' : r < (declineSpike ? 0.32 : 0.05) ? 'payment.failed' : 'payment.authorized';
    } else if (step === 3) e.type = 'payment.captured';
    else e.type = r < 0.02 ? 'payment.refunded' : 'risk.scored';
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Run {
  cpuMs: number;
  wallMs: number;
}

function runEvaluator(): Run & { stats: ReturnType<AlertEvaluator['stats']>; fired: number; transitions: number; groups: number } {
  const evaluator = new AlertEvaluator(DEFAULT_RULES, null);
  const rand = prng(7);
  const second: AlertInputEvent[] = Array.from({ length: RATE }, () => ({ type: '', timeMs: 0, merchantId: null, country: null, score: null, arrivalMs: null }));
  let cpu = 0;
  let wall = 0;
  let fired = 0;
  let transitions = 0;
  const firingKeys = new Set<string>();
  for (let s = 0; s < SECONDS; s++) {
    fillSecond(second, s, rand);
    const c0 = cpuMs();
    const w0 = performance.now();
    for (let i = 0; i < second.length; i += BATCH) evaluator.observeEvents(i === 0 && BATCH >= second.length ? second : second.slice(i, i + BATCH));
    const notes = evaluator.advanceTo(START + (s + 1) * 1000);
    wall += performance.now() - w0;
    cpu += cpuMs() - c0;
    for (const n of notes) {
      transitions++;
      if (n.kind === 'firing' && n.key && !firingKeys.has(n.key)) {
        firingKeys.add(n.key);
        fired++;
      }
    }
  }
  const groups = new Set<string>();
  for (const a of evaluator.list()) groups.add(a.labels.merchant ?? '');
  return { cpuMs: cpu, wallMs: wall, stats: evaluator.stats(), fired, transitions, groups: groups.size };
}

const RING = 600;

/** The bare ceiling's whole work: each event counted into its merchant's ring of per-second buckets. */
function countIntoRings(batch: readonly AlertInputEvent[], buckets: Map<string, Uint32Array>): void {
  for (const e of batch) {
    const m = e.merchantId ?? '';
    let ring = buckets.get(m);
    if (!ring) buckets.set(m, (ring = new Uint32Array(RING)));
    ring[Math.floor(e.timeMs! / 1000) % RING]++;
  }
}

/** The ceiling: count each event into its merchant's ring of per-second buckets, nothing else. */
function runBare(): Run {
  const rand = prng(7);
  const second: AlertInputEvent[] = Array.from({ length: RATE }, () => ({ type: '', timeMs: 0, merchantId: null, country: null, score: null, arrivalMs: null }));
  const buckets = new Map<string, Uint32Array>();
  let cpu = 0;
  let wall = 0;
  let sink = 0;
  for (let s = 0; s < SECONDS; s++) {
    fillSecond(second, s, rand);
    const c0 = cpuMs();
    const w0 = performance.now();
    for (let i = 0; i < second.length; i += BATCH) {
      countIntoRings(second.slice(i, i + BATCH), buckets);
    }
    wall += performance.now() - w0;
    cpu += cpuMs() - c0;
  }
  for (const r of buckets.values()) sink += r[0];
  if (sink < 0) console.log(sink);
  return { cpuMs: cpu, wallMs: wall };
}

interface SparseRun {
  events: number;
  eventTimeDays: number;
  ticks: number;
  evaluatorCpuMs: number;
  bareCpuMs: number;
  alerts: number;
}

/** The default pack over PaySim-derived events, as a replay feeds them, beside bare counting of the same events. */
async function runSparse(n: number): Promise<SparseRun> {
  const lines = fs.readFileSync(await ensurePaysimCapture(n), 'utf8').split('\n').filter((l) => l.length > 0);
  const events: AlertInputEvent[] = [];
  for (const l of lines) {
    const r = decodeMessage({ body: Buffer.from(l), arrivalMs: 0 });
    if (r.ok) events.push({ ...r.event, arrivalMs: r.event.timeMs });
  }
  const REPLAY_BATCH = 5000;
  const evaluator = new AlertEvaluator(DEFAULT_RULES, null);
  const c0 = cpuMs();
  for (let i = 0; i < events.length; i += REPLAY_BATCH) evaluator.observeEvents(events.slice(i, i + REPLAY_BATCH));
  evaluator.finish();
  const evaluatorCpuMs = cpuMs() - c0;

  const buckets = new Map<string, Uint32Array>();
  const b0 = cpuMs();
  for (let i = 0; i < events.length; i += REPLAY_BATCH) countIntoRings(events.slice(i, i + REPLAY_BATCH), buckets);
  const bareCpuMs = cpuMs() - b0;
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    first = Math.min(first, e.timeMs!);
    last = Math.max(last, e.timeMs!);
  }
  return {
    events: events.length,
    eventTimeDays: (last - first) / 86_400_000,
    ticks: evaluator.stats().ticks,
    evaluatorCpuMs,
    bareCpuMs,
    alerts: evaluator.list().length,
  };
}

async function main(): Promise<void> {
  const spanSeconds = SECONDS;
  const events = SECONDS * RATE;
  const evaluator = runEvaluator();
  const bare = runBare();
  const share = (cpu: number) => (100 * cpu) / (spanSeconds * 1000);
  const result = {
    rules: DEFAULT_RULES.filter((r) => r.enabled).map((r) => r.name),
    merchants: MERCHANTS,
    eventsPerSecond: RATE,
    eventTimeSeconds: spanSeconds,
    events,
    evaluator: {
      cpuMs: Math.round(evaluator.cpuMs),
      wallMs: Math.round(evaluator.wallMs),
      coreSharePct: +share(evaluator.cpuMs).toFixed(2),
      nsPerEvent: Math.round((evaluator.cpuMs * 1e6) / events),
      ticks: evaluator.stats.ticks,
      alertsFired: evaluator.fired,
      notifications: evaluator.transitions,
      groupsEvicted: evaluator.stats.groupsEvicted,
    },
    bare: {
      cpuMs: Math.round(bare.cpuMs),
      wallMs: Math.round(bare.wallMs),
      coreSharePct: +share(bare.cpuMs).toFixed(2),
      nsPerEvent: Math.round((bare.cpuMs * 1e6) / events),
    },
    ratio: +(evaluator.cpuMs / Math.max(1e-9, bare.cpuMs)).toFixed(2),
    goalPct: 5,
    withinGoal: share(evaluator.cpuMs) < 5,
    sparse: await runSparse(arg('paysim', 300_000)),
    node: process.version,
  };
  const sp = result.sparse;
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const lines = [
    `alert evaluation: default pack (${result.rules.length} rules), ${MERCHANTS} merchants, ${RATE.toLocaleString('en-US')} events/s over ${spanSeconds} s of event time (${events.toLocaleString('en-US')} events)`,
    `                      CPU ms   share of one core   ns/event`,
    `  evaluator        ${String(result.evaluator.cpuMs).padStart(8)}   ${`${result.evaluator.coreSharePct.toFixed(2)} %`.padStart(17)}   ${String(result.evaluator.nsPerEvent).padStart(8)}`,
    `  bare counting    ${String(result.bare.cpuMs).padStart(8)}   ${`${result.bare.coreSharePct.toFixed(2)} %`.padStart(17)}   ${String(result.bare.nsPerEvent).padStart(8)}`,
    `  ratio evaluator / bare: ${result.ratio}x; goal < ${result.goalPct} % of one core: ${result.withinGoal ? 'met' : 'NOT met'}`,
    `  (${result.evaluator.ticks} evaluation ticks, ${result.evaluator.alertsFired} alerts fired, ${result.evaluator.notifications} notifications)`,
    `sparse: ${sp.events.toLocaleString('en-US')} PaySim-derived events over ${sp.eventTimeDays.toFixed(1)} days of event time, as a replay feeds them`,
    `  evaluator ${Math.round(sp.evaluatorCpuMs)} ms CPU (${((sp.evaluatorCpuMs * 1000) / sp.ticks).toFixed(2)} us per 10 s tick, ${sp.ticks.toLocaleString('en-US')} ticks; ` +
      `${((sp.evaluatorCpuMs * 1000) / sp.events).toFixed(2)} us per event); bare counting ${Math.round(sp.bareCpuMs)} ms; ratio ${(sp.evaluatorCpuMs / Math.max(1e-9, sp.bareCpuMs)).toFixed(1)}x (${sp.alerts} alerts)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  console.error(`bench:alerts failed: ${(err as Error).message}`);
  process.exit(1);
});
