// bench:ingest — in one run, on the same events, each side draining a queue filled just before it:
// (a) the bare amqplib consumer (ceiling) and (b) `payops collect --drain`; prints rates and b/a
// (the goal's ratio). Also (c), the floor of storing (bench/bareStoringConsumer.ts): receive,
// parse, insert into one table and acknowledge after each commit. c/a says how close to the
// ceiling any consumer that stores before it acknowledges gets on this machine; b/c, what
// payops costs beyond that. Runs on the simulator-like mix and on PaySim-derived events
// (bench/paysimCapture.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AMQP_URL, PAYOPS_BIN, cleanup, fmt, lastJsonLine, prefill, realisticBodies, runNode } from './benchSupport';
import { ensurePaysimCapture } from './paysimCapture';

interface Timing {
  firstDeliveryMs: number;
  lastAckMs: number;
}

interface Run {
  rate: number;
  cpuUsPerEvent: number;
  brokerCpuUsPerEvent: number | null;
}

// CPU the broker (beam.smp) used while one side consumed: explains the ratio on a small machine.
function brokerCpuMs(): number | null {
  try {
    const pid = execFileSync('pgrep', ['-f', 'beam.smp']).toString().trim().split('\n')[0];
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Waits until the broker has finished storing the pre-fill (under 10 % of a core for 0.5 s). */
async function brokerSettled(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const a = brokerCpuMs();
    await new Promise((r) => setTimeout(r, 500));
    const b = brokerCpuMs();
    if (a === null || b === null || b - a < 50) return;
  }
}

const rate = (n: number, t: Timing) => n / ((t.lastAckMs - t.firstDeliveryMs) / 1000);

/** PaySim-derived messages (bench/paysimCapture.ts), routed by their type. */
async function paysimBodies(n: number): Promise<{ body: Buffer; routingKey: string }[]> {
  const lines = fs.readFileSync(await ensurePaysimCapture(n), 'utf8').split('\n').filter((l) => l.length > 0);
  return lines.map((l) => ({ body: Buffer.from(l), routingKey: (JSON.parse(l) as { type: string }).type }));
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_EVENTS ?? 200_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  // BENCH_INGEST_DATA=simulator|paysim: one data set only (default: both, one after the other).
  const only = process.env.BENCH_INGEST_DATA;
  const medians: { label: string; ratios: Medians }[] = [];
  if (only !== 'paysim') medians.push({ label: 'simulator mix', ratios: await runDataSet('simulator mix', realisticBodies(n), rounds) });
  if (only !== 'simulator') medians.push({ label: 'PaySim-derived', ratios: await runDataSet('PaySim-derived', await paysimBodies(n), rounds) });
  const line = (pick: (m: Medians) => number) => medians.map((m) => `${m.label} ${pick(m.ratios).toFixed(3)}`).join(', ');
  console.log(`\nmedian ratios b/a: ${line((m) => m.payops)} (goal >= 0.85)`);
  console.log(`median ratios c/a (the floor of storing): ${line((m) => m.storing)}; b/c: ${line((m) => m.payopsToStoring)}`);
}

interface Medians {
  payops: number;
  storing: number;
  payopsToStoring: number;
}

/** Events a second the machine's cores could carry at a side's CPU per event (its own and the broker's), all cores busy. */
function cpuBound(run: Run): number | null {
  if (run.brokerCpuUsPerEvent === null) return null;
  return (os.cpus().length * 1e6) / (run.cpuUsPerEvent + run.brokerCpuUsPerEvent);
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function runDataSet(label: string, bodies: { body: Buffer; routingKey: string }[], rounds: number): Promise<Medians> {
  const n = bodies.length;
  const avgBytes = bodies.reduce((s, b) => s + b.body.length, 0) / n;
  console.log(`\nbench:ingest [${label}]: ${fmt(n)} events (${Math.round(avgBytes)} bytes each), ${rounds} round(s), ${os.cpus().length} cores, broker on this machine, load average ${os.loadavg()[0].toFixed(1)}`);
  const ratios: number[] = [];
  const storingRatios: number[] = [];
  const payopsToStoring: number[] = [];
  type Side = 'bare' | 'payops' | 'storing';
  for (let round = 1; round <= rounds; round++) {
    const id = randomUUID().slice(0, 8);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-'));
    // Each side gets its own queue, filled just before it runs and deleted after: the broker
    // holds one backlog at a time. With all three filled at once, the broker's CPU per event
    // swung between ~20 and ~50 us from run to run (work on the backlogs waiting their turn
    // was charged to whichever side ran), and with it every ratio.
    const measure = async (side: Side, args: (queue: string, exchange: string) => string[], timing: (out: Timing & { ingest?: Timing }) => Timing): Promise<Run> => {
      const queue = `bench.${id}.${side}`;
      const exchange = await prefill([queue], bodies);
      try {
        await brokerSettled();
        const before = brokerCpuMs();
        const r = await runNode(args(queue, exchange));
        const after = brokerCpuMs();
        if (r.code !== 0) throw new Error(`${side}: ${r.stderr}`);
        const out = lastJsonLine<Timing & { ingest?: Timing; cpuMs: number; events?: number; received?: number }>(r.stdout);
        const stored = out.events ?? out.received;
        if (stored !== n) throw new Error(`${side} took ${stored} of ${n} events`);
        return {
          rate: rate(n, timing(out)),
          cpuUsPerEvent: (out.cpuMs * 1000) / n,
          brokerCpuUsPerEvent: before !== null && after !== null ? ((after - before) * 1000) / n : null,
        };
      } finally {
        await cleanup(exchange, [queue]);
      }
    };
    const runs: Record<Side, () => Promise<Run>> = {
      bare: () => measure('bare', (q) => [path.join(__dirname, 'bareConsumer.js'), AMQP_URL, q, String(n)], (o) => o),
      payops: () =>
        measure(
          'payops',
          (q, exchange) => [PAYOPS_BIN, 'collect', '--amqp', AMQP_URL, '--db', path.join(dir, 'bench.db'), '--exchange', exchange, '--bind', '#', '--queue', q, '--drain', '--json'],
          (o) => o.ingest!,
        ),
      storing: () => measure('storing', (q) => [path.join(__dirname, 'bareStoringConsumer.js'), AMQP_URL, q, String(n), path.join(dir, 'storing.db')], (o) => o),
    };
    try {
      // Rotate the order each round so no side always runs first.
      const order = (['bare', 'payops', 'storing'] as const).map((_, i, all) => all[(i + round - 1) % all.length]);
      const done: Partial<Record<Side, Run>> = {};
      for (const side of order) done[side] = await runs[side]();
      const { bare, payops, storing } = done as Record<Side, Run>;
      ratios.push(payops.rate / bare.rate);
      storingRatios.push(storing.rate / bare.rate);
      payopsToStoring.push(payops.rate / storing.rate);
      const cpu = (x: Run) => `client CPU ${x.cpuUsPerEvent.toFixed(1)} us/event, broker ${x.brokerCpuUsPerEvent?.toFixed(1) ?? '?'} us/event`;
      console.log(`round ${round}: (a) bare consumer ${fmt(bare.rate)} ev/s (${cpu(bare)})`);
      console.log(`         (b) payops collect ${fmt(payops.rate)} ev/s (${cpu(payops)})   ratio b/a ${(payops.rate / bare.rate).toFixed(3)}`);
      console.log(`         (c) the floor of storing ${fmt(storing.rate)} ev/s (${cpu(storing)})   ratio c/a ${(storing.rate / bare.rate).toFixed(3)}, b/c ${(payops.rate / storing.rate).toFixed(3)}`);
      // The broker and payops share the machine's cores: at what payops and the broker each
      // spent per event, no spreading of payops's work over threads could go faster than this.
      const budget = cpuBound(payops);
      if (budget !== null) {
        console.log(`         CPU budget: ${os.cpus().length} cores over (b)'s ${(payops.cpuUsPerEvent + payops.brokerCpuUsPerEvent!).toFixed(1)} us per event (client and broker) allow at most ${fmt(budget)} ev/s, ratio ${(budget / bare.rate).toFixed(3)} of (a)`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(`[${label}] ratio b/a: median ${median(ratios).toFixed(3)} (min ${sorted[0].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)}); goal >= 0.85`);
  console.log(`[${label}] ratio c/a (the floor of storing): median ${median(storingRatios).toFixed(3)}; b/c: median ${median(payopsToStoring).toFixed(3)}`);
  return { payops: median(ratios), storing: median(storingRatios), payopsToStoring: median(payopsToStoring) };
}

main().catch((err) => {
  console.error(`bench:ingest failed: ${(err as Error).message}`);
  process.exit(1);
});
