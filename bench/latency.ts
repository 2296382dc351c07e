// bench:latency — publish-to-screen latency: marker events are published through RabbitMQ
// while `payops simulate` loads the same exchange at 1,000, 10,000 and 20,000 events/s; the
// dashboard page (Debian's Chromium) records when each marker first shows up in a snapshot it
// received. Latency = time on screen's data − publish time (one machine, one clock).
// The ceiling, in a phase of its own before payops starts (so that neither loads the other):
// the same traffic and markers consumed by a bare amqplib consumer (bench/bareLatencyConsumer.ts)
// from a durable queue bound to the whole exchange, as payops's queue is: the broker's part of
// the way on this machine, which no consumer of such a queue can beat. The ratio printed is
// the ceiling's p99 over payops's. Beside it, the broker hop of a queue that holds the markers
// alone, and each marker's way split at the arrival time payops's consumer thread stamped on
// it: before it the broker and the socket, after it the pipeline.
import { chromium } from '@playwright/test';
import Database from 'better-sqlite3';
import amqp from 'amqplib';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AMQP_URL, CHROMIUM, CHROMIUM_ARGS, PAYOPS_BIN, consoleUrl, fmt } from './benchSupport';

const RATES = (process.env.BENCH_LATENCY_RATES ?? '1000,10000,20000').split(',').map(Number);
const MARKERS = Number(process.env.BENCH_LATENCY_MARKERS ?? 60);
const MARKER_TYPE = 'bench.marker';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};

function startServe(dir: string, exchange: string, queue: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [PAYOPS_BIN, 'serve', '--port', '0', '--db', path.join(dir, 'live.db'),
    '--exchange', exchange, '--queue', queue, '--bind', '#'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PAYOPS_AMQP_URL: AMQP_URL, PAYOPS_HOME: dir } });
  const url = consoleUrl(child, 'serve');
  return { child, url };
}

/** When payops's consumer thread received each marker (its stored arrival time), by event id, and the load it stored meanwhile. */
function arrivalsOf(dbFile: string, sent: { at: number }[]): { markers: Map<string, number>; carried: number } {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, arrival_ms AS at FROM events WHERE type = ?').all(MARKER_TYPE) as { id: string; at: number }[];
    const from = sent[0].at;
    const to = sent[sent.length - 1].at;
    const stored = db.prepare('SELECT COUNT(*) FROM event_log WHERE arrival_ms BETWEEN ? AND ?').pluck().get(from, to) as number;
    return { markers: new Map(rows.map((r) => [r.id, r.at])), carried: stored / ((to - from) / 1000) };
  } finally {
    db.close();
  }
}

/** Publishes MARKERS markers (100-300 ms apart) while `payops simulate` loads the exchange at `rate`. */
async function markersUnderLoad(ch: amqp.ConfirmChannel, exchange: string, rate: number, label: string): Promise<{ id: string; at: number }[]> {
  const sim = spawn(process.execPath, [PAYOPS_BIN, 'simulate', '--exchange', exchange, '--rate', String(rate), '--for', String(MARKERS / 5 + 10)], {
    stdio: 'ignore',
    env: { ...process.env, PAYOPS_AMQP_URL: AMQP_URL },
  });
  const exited = new Promise<void>((r) => sim.once('exit', () => r()));
  await new Promise((r) => setTimeout(r, 3000));
  const sent: { id: string; at: number }[] = [];
  for (let i = 0; i < MARKERS; i++) {
    const mid = `m-${label}-${rate}-${i}-${randomUUID()}`;
    const at = Date.now();
    ch.publish(exchange, MARKER_TYPE, Buffer.from(JSON.stringify({ specversion: '1.0', id: mid, source: 'bench/latency', type: MARKER_TYPE })));
    sent.push({ id: mid, at });
    // Spacing drawn from 100-300 ms, not a fixed 200: markers at a fixed period keep one
    // phase against the engine's 100 ms snapshot cycle, so a whole run measured one point
    // of it (p50 31 ms in one run, 105 ms in the next, each with a narrow spread).
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
  }
  await ch.waitForConfirms();
  await new Promise((r) => setTimeout(r, 3000));
  sim.kill('SIGTERM');
  await exited;
  return sent;
}

/** Messages per second a consumer received while the markers went out: the load it actually carried. */
function carried(arrivals: number[], sent: { at: number }[]): number {
  const from = sent[0].at;
  const to = sent[sent.length - 1].at;
  return arrivals.filter((t) => t >= from && t <= to).length / ((to - from) / 1000);
}

/** The ceiling at `rate`: markers under load through a bare consumer of a durable queue bound to everything. */
async function ceilingAt(ch: amqp.ConfirmChannel, exchange: string, queue: string, rate: number): Promise<{ latencies: number[]; carried: number }> {
  await ch.assertQueue(queue, { durable: true });
  await ch.bindQueue(queue, exchange, '#');
  const child = fork(path.join(__dirname, 'bareLatencyConsumer.js'), [AMQP_URL, queue, MARKER_TYPE], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the bare latency consumer exited (${code})`)));
    });
    const sent = await markersUnderLoad(ch, exchange, rate, 'ceiling');
    const report = await new Promise<{ seen: Record<string, number>; arrivals: number[] }>((resolve) => {
      child.on('message', (m) => {
        if (typeof m === 'object' && m !== null && 'seen' in m) resolve(m as { seen: Record<string, number>; arrivals: number[] });
      });
      child.send('report');
    });
    return { latencies: sent.map((s) => (report.seen[s.id] ?? NaN) - s.at).filter(Number.isFinite), carried: carried(report.arrivals, sent) };
  } finally {
    child.kill('SIGTERM');
    await ch.deleteQueue(queue).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const exchange = `bench.lat.${id}.x`;
  const queue = `bench.lat.${id}.q`;
  const bareQueue = `bench.lat.${id}.bare`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-lat-'));
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertExchange(exchange, 'topic', { durable: true });
  // The ceiling's own queue gets only the markers.
  await ch.assertQueue(bareQueue, { durable: false, autoDelete: true });
  await ch.bindQueue(bareQueue, exchange, MARKER_TYPE);
  const bareSeen = new Map<string, number>();
  await ch.consume(bareQueue, (m) => {
    if (!m) return;
    bareSeen.set(JSON.parse(m.content.toString()).id as string, Date.now());
    ch.ack(m);
  });

  console.log(`bench:latency: ${MARKERS} markers per rate, rates ${RATES.join(', ')} events/s of background traffic, ${os.cpus().length} cores`);
  // Phase 1, the ceiling at each rate, before payops's queue exists (nothing routes to it yet).
  const ceiling = new Map<number, { latencies: number[]; carried: number }>();
  for (const rate of RATES) ceiling.set(rate, await ceilingAt(ch, exchange, `bench.lat.${id}.ceiling.${rate}`, rate));

  // Phase 2, payops.
  const { child, url } = startServe(dir, exchange, queue);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // Record the arrival time of every snapshot push the page receives, with its marker count.
    await page.addInitScript(`(() => {
      const NativeWS = window.WebSocket;
      window.__markerSeen = [];
      window.WebSocket = class extends NativeWS {
        constructor(...a) {
          super(...a);
          this.addEventListener('message', (e) => {
            try {
              const m = JSON.parse(e.data);
              if (m.kind === 'push' && m.name === 'snapshot') {
                window.__markerSeen.push([Date.now(), (m.payload.totals.byType || {})['${MARKER_TYPE}'] || 0]);
              }
            } catch {}
          });
        }
      };
    })()`);
    await page.goto(await url);
    await page.getByTestId('connection-state').filter({ hasText: /connected/i }).waitFor({ timeout: 30_000 });
    let published = 0;
    for (const rate of RATES) {
      const sent = (await markersUnderLoad(ch, exchange, rate, 'payops')).map((s) => ({ ...s, count: (published += 1) }));
      const seen = (await page.evaluate('window.__markerSeen')) as [number, number][];
      const screen: number[] = [];
      // Each marker's way split where payops's consumer thread stamped its arrival (stored
      // with the event): the broker and the receiving socket before it, payops's pipeline after.
      const { markers: arrival, carried: payopsCarried } = arrivalsOf(path.join(dir, 'live.db'), sent);
      const toConsumer: number[] = [];
      const consumerToScreen: number[] = [];
      for (const s of sent) {
        const first = seen.find(([, count]) => count >= s.count);
        if (!first) continue;
        screen.push(first[0] - s.at);
        const arrivedAt = arrival.get(s.id);
        if (arrivedAt === undefined) continue;
        toConsumer.push(arrivedAt - s.at);
        consumerToScreen.push(first[0] - arrivedAt);
      }
      const bare = sent.map((s) => (bareSeen.get(s.id) ?? NaN) - s.at).filter(Number.isFinite);
      const { latencies: ceil, carried: ceilingCarried } = ceiling.get(rate)!;
      const p3 = (xs: number[]) => `p50 ${pct(xs, 0.5)} / p95 ${pct(xs, 0.95)} / p99 ${pct(xs, 0.99)} ms`;
      console.log(
        `${String(rate).padStart(6)} ev/s: publish-to-screen ${p3(screen)} (${screen.length}/${sent.length} markers seen; ${fmt(payopsCarried)} events/s stored meanwhile)`,
      );
      console.log(
        `        ceiling, a bare consumer of a durable queue bound to the loaded exchange (own phase): ${p3(ceil)} (${ceil.length} markers; ${fmt(ceilingCarried)} messages/s received meanwhile); ` +
          `ratio of p99s ceiling/payops ${(pct(ceil, 0.99) / pct(screen, 0.99)).toFixed(2)}`,
      );
      console.log(`        broker hop of a queue holding the markers alone: ${p3(bare)}`);
      console.log(`        of which: publish to payops's consumer thread ${p3(toConsumer)}; consumer thread to screen ${p3(consumerToScreen)} (${toConsumer.length} markers)`);
    }
  } finally {
    child.kill('SIGTERM');
    await browser.close();
    await ch.deleteExchange(exchange).catch(() => undefined);
    const c2 = await conn.createChannel();
    await c2.deleteQueue(queue).catch(() => undefined);
    await conn.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:latency failed: ${(err as Error).message}`);
  process.exit(1);
});
