// A team of consoles (issue 16): N consoles each consuming raw events from their own queue,
// versus one collector publishing the metrics stream and N consoles following it. Measured
// side by side in one run, at the same traffic: CPU of each console, of the collector and of
// the broker (beam.smp, from /proc) per 1,000 events/s, and the ratio following / raw.
//
//   npm run bench:consoles                      1 console, 10,000 ev/s for 8 s (short)
//   PAYOPS_BENCH_FULL=1 npm run bench:consoles  1, 2, 5 and 10 consoles
//   PAYOPS_BENCH_RATE=2000 PAYOPS_BENCH_SECONDS=10 PAYOPS_BENCH_CONSOLES=1,2 ...
//
// The broker is shared with whatever else runs on the machine: its figure is what it spent
// during the run, other clients included.
import amqp from 'amqplib';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../electron/core/store/store';
import { AMQP_URL, PAYOPS_BIN, fmt } from './benchSupport';
import { paymentEvent, riskEvent } from './events';

const FULL = Boolean(process.env.PAYOPS_BENCH_FULL);
const RATE = Number(process.env.PAYOPS_BENCH_RATE ?? 10_000);
const SECONDS = Number(process.env.PAYOPS_BENCH_SECONDS ?? (FULL ? 15 : 8));
const COUNTS = (process.env.PAYOPS_BENCH_CONSOLES ?? (FULL ? '1,2,5,10' : '1')).split(',').map(Number);
const CLK_TCK = 100;

function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function brokerPid(): number | null {
  try {
    return Number(execFileSync('pgrep', ['-f', 'beam.smp']).toString().trim().split('\n')[0]);
  } catch {
    return null;
  }
}

function storedEvents(db: string): number {
  try {
    const store = openStore(db, { readonly: true });
    try {
      return store.stats().events;
    } finally {
      store.close();
    }
  } catch {
    return 0;
  }
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Proc {
  child: ChildProcess;
  log: () => string;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [PAYOPS_BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  return { child, log: () => log };
}

async function stopAll(procs: Proc[]): Promise<void> {
  await Promise.all(
    procs.map((p) => (p.child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => {
      p.child.once('exit', () => r());
      p.child.kill('SIGTERM');
    }))),
  );
}

/** Events stamped with the wall time they are due at (so per-second rollups look like live traffic). */
function traffic(total: number, startMs: number): { body: Buffer; routingKey: string }[] {
  const mix = ['payment.initiated', 'risk.scored', 'payment.authorized', 'payment.captured', 'payment.initiated', 'risk.scored', 'payment.declined', 'payment.authorized'];
  return Array.from({ length: total }, (_, i) => {
    const type = mix[i % mix.length];
    const time = new Date(startMs + Math.floor((i * 1000) / RATE)).toISOString();
    const e = type.startsWith('risk.') ? riskEvent(type, { time }) : paymentEvent(type, { time });
    return { body: Buffer.from(JSON.stringify(e)), routingKey: type };
  });
}

/** Publishes at RATE (paced every 10 ms) with confirms. */
async function publishPaced(exchange: string, bodies: { body: Buffer; routingKey: string }[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  const started = Date.now();
  let sent = 0;
  while (sent < bodies.length) {
    const due = Math.min(bodies.length, Math.floor(((Date.now() - started) / 1000) * RATE) + 1);
    for (; sent < due; sent++) {
      const b = bodies[sent];
      if (!ch.publish(exchange, b.routingKey, b.body, { contentType: 'application/cloudevents+json' })) await new Promise((r) => ch.once('drain', r));
      if (sent % 5000 === 4999) await ch.waitForConfirms();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await ch.waitForConfirms();
  await conn.close();
}

interface Result {
  mode: 'raw' | 'follow';
  consoles: number;
  events: number;
  seconds: number;
  /** CPU ms per console (average), the collector's (follow mode), the broker's. */
  consoleCpuMs: number;
  collectorCpuMs: number;
  brokerCpuMs: number | null;
}

async function run(mode: 'raw' | 'follow', consoles: number): Promise<Result> {
  const id = randomUUID().slice(0, 8);
  const exchange = `bench.consoles.${id}.x`;
  const stream = `bench.consoles.${id}.metrics`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-bench-consoles-'));
  const queues: string[] = [];
  const collect = (i: number, extra: string[] = []): Proc => {
    const queue = `bench.consoles.${id}.q${i}`;
    queues.push(queue);
    return start(['collect', '--amqp', AMQP_URL, '--db', path.join(dir, `c${i}.db`), '--exchange', exchange, '--queue', queue, '--bind', '#', '--durability', 'normal', ...extra]);
  };
  const conn = await amqp.connect(AMQP_URL);
  const setup = await conn.createChannel();
  await setup.assertExchange(exchange, 'topic', { durable: true });
  const consolesProcs: Proc[] = [];
  let collector: Proc | null = null;
  const dbs: string[] = [];
  if (mode === 'raw') {
    for (let i = 0; i < consoles; i++) {
      consolesProcs.push(collect(i));
      dbs.push(path.join(dir, `c${i}.db`));
    }
  } else {
    collector = collect(0, ['--publish-metrics', stream]);
    for (let i = 0; i < consoles; i++) {
      const db = path.join(dir, `f${i}.db`);
      consolesProcs.push(start(['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', db, '--durability', 'normal']));
      dbs.push(db);
    }
  }
  try {
    if (collector) await until(() => collector!.log().includes('collecting from'), 'the collector', 30_000);
    const ready = mode === 'raw' ? 'collecting from' : 'following metrics stream';
    await until(() => consolesProcs.every((p) => p.log().includes(ready)), 'the consoles', 60_000);
    const total = RATE * SECONDS;
    const bodies = traffic(total, Date.now() + 200);
    const beam = brokerPid();
    const pids = consolesProcs.map((p) => p.child.pid!);
    const cpu0 = pids.map(cpuMsOf);
    const collector0 = collector ? cpuMsOf(collector.child.pid!) : 0;
    const broker0 = beam ? cpuMsOf(beam) : null;
    const t0 = Date.now();
    await publishPaced(exchange, bodies);
    await until(() => dbs.every((db) => storedEvents(db) === total), 'every console to hold every event', 120_000);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`  ${mode} x${consoles}: ${fmt(total)} events in ${seconds.toFixed(1)} s (${fmt(total / seconds)} ev/s reached)`);
    const cpu1 = pids.map(cpuMsOf);
    return {
      mode,
      consoles,
      events: total,
      seconds,
      consoleCpuMs: cpu1.reduce((a, c, i) => a + c - cpu0[i], 0) / consoles,
      collectorCpuMs: collector ? cpuMsOf(collector.child.pid!) - collector0 : 0,
      brokerCpuMs: beam && broker0 !== null ? cpuMsOf(beam) - broker0 : null,
    };
  } finally {
    await stopAll([...consolesProcs, ...(collector ? [collector] : [])]);
    for (const q of [...queues, stream]) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      await ch.deleteQueue(q).catch(() => undefined);
    }
    await setup.deleteExchange(exchange).catch(() => undefined);
    await conn.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU ms per second per 1,000 events/s (= ms of CPU per 1,000 events; 10 ms = 1 % of a core). */
const per1k = (cpuMs: number, events: number) => (cpuMs * 1000) / events;

async function main(): Promise<void> {
  console.log(`consoles: ${RATE} events/s for ${SECONDS} s, consoles ${COUNTS.join(', ')} (load on the machine included)`);
  console.log('mode    consoles  console CPU/1k ev/s  collector CPU/1k ev/s  broker CPU/1k ev/s  follow/raw (console)');
  const rows: unknown[] = [];
  for (const n of COUNTS) {
    const raw = await run('raw', n);
    const follow = await run('follow', n);
    const ratio = follow.consoleCpuMs / raw.consoleCpuMs;
    for (const r of [raw, follow]) {
      console.log(
        `${r.mode.padEnd(7)} ${String(r.consoles).padStart(8)}  ${per1k(r.consoleCpuMs, r.events).toFixed(2).padStart(15)} ms  ${per1k(r.collectorCpuMs, r.events).toFixed(2).padStart(17)} ms  ${r.brokerCpuMs === null ? '-'.padStart(15) : `${per1k(r.brokerCpuMs, r.events).toFixed(2).padStart(15)} ms`}  ${r.mode === 'follow' ? `${(ratio * 100).toFixed(1)} %` : ''}`,
      );
    }
    rows.push({ consoles: n, rate: RATE, raw, follow, followOverRaw: ratio });
    if (n === COUNTS[COUNTS.length - 1]) console.log(`following costs a console ${(ratio * 100).toFixed(1)} % of consuming raw events at ${fmt(RATE)} ev/s (target: under 5 %)`);
  }
  console.log(JSON.stringify({ bench: 'consoles', rate: RATE, seconds: SECONDS, rows }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
