// bench:ingest — in one run, on two queues pre-filled with the same events:
// (a) the bare amqplib consumer (ceiling) and (b) `payops collect --drain`; prints rates and b/a.
// Runs on the simulator-like mix and on PaySim-derived events (bench/paysimCapture.ts).
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
  const medians: string[] = [];
  if (only !== 'paysim') medians.push(`simulator mix ${(await runDataSet('simulator mix', realisticBodies(n), rounds)).toFixed(3)}`);
  if (only !== 'simulator') medians.push(`PaySim-derived ${(await runDataSet('PaySim-derived', await paysimBodies(n), rounds)).toFixed(3)}`);
  console.log(`\nmedian ratios b/a: ${medians.join(', ')} (goal >= 0.85)`);
}

async function runDataSet(label: string, bodies: { body: Buffer; routingKey: string }[], rounds: number): Promise<number> {
  const n = bodies.length;
  const avgBytes = bodies.reduce((s, b) => s + b.body.length, 0) / n;
  console.log(`\nbench:ingest [${label}]: ${fmt(n)} events (${Math.round(avgBytes)} bytes each), ${rounds} round(s), ${os.cpus().length} cores, broker on this machine, load average ${os.loadavg()[0].toFixed(1)}`);
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const id = randomUUID().slice(0, 8);
    const qa = `bench.${id}.bare`;
    const qb = `bench.${id}.payops`;
    const exchange = await prefill([qa, qb], bodies);
    await brokerSettled();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-'));
    try {
      // Alternate the order each round so neither side always gets the warmer broker.
      const measure = async (args: string[], check: (out: { events?: number }) => void, timing: (out: Timing & { ingest?: Timing }) => Timing): Promise<Run> => {
        const before = brokerCpuMs();
        const r = await runNode(args);
        const after = brokerCpuMs();
        if (r.code !== 0) throw new Error(`${path.basename(args[0])}: ${r.stderr}`);
        const out = lastJsonLine<Timing & { ingest?: Timing; cpuMs: number; events?: number }>(r.stdout);
        check(out);
        return {
          rate: rate(n, timing(out)),
          cpuUsPerEvent: (out.cpuMs * 1000) / n,
          brokerCpuUsPerEvent: before !== null && after !== null ? ((after - before) * 1000) / n : null,
        };
      };
      const runBare = () => measure([path.join(__dirname, 'bareConsumer.js'), AMQP_URL, qa, String(n)], () => undefined, (o) => o);
      const runPayops = () =>
        measure(
          [PAYOPS_BIN, 'collect', '--amqp', AMQP_URL, '--db', path.join(dir, 'bench.db'), '--exchange', exchange, '--bind', '#', '--queue', qb, '--drain', '--json'],
          (o) => {
            if (o.events !== n) throw new Error(`payops stored ${o.events} of ${n} events`);
          },
          (o) => o.ingest!,
        );
      let bare: Run;
      let payops: Run;
      if (round % 2 === 1) {
        bare = await runBare();
        payops = await runPayops();
      } else {
        payops = await runPayops();
        bare = await runBare();
      }
      ratios.push(payops.rate / bare.rate);
      const cpu = (x: Run) => `client CPU ${x.cpuUsPerEvent.toFixed(1)} us/event, broker ${x.brokerCpuUsPerEvent?.toFixed(1) ?? '?'} us/event`;
      console.log(`round ${round}: (a) bare consumer ${fmt(bare.rate)} ev/s (${cpu(bare)})`);
      console.log(`         (b) payops collect ${fmt(payops.rate)} ev/s (${cpu(payops)})   ratio b/a ${(payops.rate / bare.rate).toFixed(3)}`);
    } finally {
      await cleanup(exchange, [qa, qb]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`[${label}] ratio b/a: median ${median.toFixed(3)} (min ${sorted[0].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)}); goal >= 0.85`);
  return median;
}

main().catch((err) => {
  console.error(`bench:ingest failed: ${(err as Error).message}`);
  process.exit(1);
});
