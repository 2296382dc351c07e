// bench:ingest — in one run, on two queues pre-filled with the same events:
// (a) the bare amqplib consumer (ceiling) and (b) `payops collect --drain`; prints rates and b/a.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AMQP_URL, PAYOPS_BIN, cleanup, fmt, lastJsonLine, prefill, realisticBodies, runNode } from './benchSupport';

interface Timing {
  firstDeliveryMs: number;
  lastAckMs: number;
}

const rate = (n: number, t: Timing) => n / ((t.lastAckMs - t.firstDeliveryMs) / 1000);

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_EVENTS ?? 200_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const bodies = realisticBodies(n);
  const avgBytes = bodies.reduce((s, b) => s + b.body.length, 0) / n;
  console.log(`bench:ingest: ${fmt(n)} events (${Math.round(avgBytes)} bytes each), ${rounds} round(s), ${os.cpus().length} cores, broker on this machine`);
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const id = randomUUID().slice(0, 8);
    const qa = `bench.${id}.bare`;
    const qb = `bench.${id}.payops`;
    const exchange = await prefill([qa, qb], bodies);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-'));
    try {
      // Alternate the order each round so neither side always gets the warmer broker.
      const runBare = async () => {
        const r = await runNode([path.join(__dirname, 'bareConsumer.js'), AMQP_URL, qa, String(n)]);
        if (r.code !== 0) throw new Error(`bare consumer: ${r.stderr}`);
        return rate(n, lastJsonLine<Timing>(r.stdout));
      };
      const runPayops = async () => {
        const r = await runNode([PAYOPS_BIN, 'collect', '--amqp', AMQP_URL, '--db', path.join(dir, 'bench.db'),
          '--exchange', exchange, '--bind', '#', '--queue', qb, '--drain', '--json']);
        if (r.code !== 0) throw new Error(`payops collect: ${r.stderr}`);
        const summary = lastJsonLine<{ events: number; ingest: Timing }>(r.stdout);
        if (summary.events !== n) throw new Error(`payops stored ${summary.events} of ${n} events`);
        return rate(n, summary.ingest);
      };
      let bare: number;
      let payops: number;
      if (round % 2 === 1) {
        bare = await runBare();
        payops = await runPayops();
      } else {
        payops = await runPayops();
        bare = await runBare();
      }
      ratios.push(payops / bare);
      console.log(`round ${round}: (a) bare consumer ${fmt(bare)} ev/s   (b) payops collect ${fmt(payops)} ev/s   ratio b/a ${(payops / bare).toFixed(3)}`);
    } finally {
      await cleanup(exchange, [qa, qb]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`ratio b/a: median ${median.toFixed(3)} (min ${sorted[0].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)}); goal >= 0.85`);
}

main().catch((err) => {
  console.error(`bench:ingest failed: ${(err as Error).message}`);
  process.exit(1);
});
