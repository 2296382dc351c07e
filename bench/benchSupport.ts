// Shared by the benchmarks: realistic events, pre-filled queues, child processes, figures.
import amqp from 'amqplib';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { paymentEvent, riskEvent } from './events';
import { decodeMessage } from '../shared/events/decode';
import type { NormalizedEvent } from '../shared/events/eventTypes';

export const AMQP_URL = process.env.PAYOPS_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REPO = path.resolve(__dirname, '..', '..');
export const PAYOPS_BIN = path.join(REPO, 'bin', 'payops.js');

/** A realistic mix: most payments authorized and captured, some declines, risk scores for all. */
const SCHEMES = ['visa', 'mastercard', 'amex'];
function segmentDimensions(i: number): Record<string, unknown> {
  const issuer = i % 24;
  return {
    issuer: `issuer-${issuer}`,
    scheme: SCHEMES[issuer % 3],
    cardBin: String(400000 + issuer * 1000 + (i % 3)),
    acquirer: `acq-${i % 4}`,
    mcc: ['5411', '5812', '5999'][i % 3],
    threeDS: i % 5 === 0 ? 'challenged' : 'frictionless',
    attempt: 1,
  };
}

export function realisticBodies(n: number): { body: Buffer; routingKey: string }[] {
  const mix = [
    'payment.initiated', 'risk.scored', 'payment.authorized', 'payment.captured',
    'payment.initiated', 'risk.scored', 'payment.authorized', 'payment.captured',
    'payment.initiated', 'risk.scored', 'payment.declined', 'risk.flagged',
  ];
  const out: { body: Buffer; routingKey: string }[] = [];
  for (let i = 0; i < n; i++) {
    const type = mix[i % mix.length];
    // Payment events carry the segment dimensions (issue 13), so the segment rollups do real work.
    const e = type.startsWith('risk.') ? riskEvent(type) : paymentEvent(type, {}, segmentDimensions(i));
    out.push({ body: Buffer.from(JSON.stringify(e)), routingKey: type });
  }
  return out;
}

/** Declares an exchange and queues bound with '#', and publishes every body once (so each queue holds them all). */
export async function prefill(queues: string[], bodies: { body: Buffer; routingKey: string }[], existingExchange?: string): Promise<string> {
  const exchange = existingExchange ?? `bench.${randomUUID().slice(0, 8)}.x`;
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertExchange(exchange, 'topic', { durable: true });
  for (const q of queues) {
    await ch.assertQueue(q, { durable: true });
    if (!existingExchange) await ch.purgeQueue(q);
    await ch.bindQueue(q, exchange, '#');
  }
  for (let i = 0; i < bodies.length; i++) {
    const b = bodies[i];
    if (!ch.publish(exchange, b.routingKey, b.body, { persistent: false, contentType: 'application/cloudevents+json' })) {
      await new Promise((r) => ch.once('drain', r));
    }
    if (i % 5000 === 4999) await ch.waitForConfirms();
  }
  await ch.waitForConfirms();
  await conn.close();
  return exchange;
}

export async function cleanup(exchange: string, queues: string[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
  await ch.deleteExchange(exchange).catch(() => undefined);
  await conn.close().catch(() => undefined);
}

export function runNode(args: string[], onSpawn?: (pid: number) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function lastJsonLine<T>(text: string): T {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`no JSON in output: ${text.slice(-500)}`);
  return JSON.parse(line) as T;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Debian's Chromium, with the flags that keep it off the closed network. */
export const CHROMIUM = process.env.PAYOPS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The tokenised console URL a started `payops serve` (or `npm start`) prints. */
export function consoleUrl(child: ChildProcess, what: string): Promise<string> {
  let out = '';
  return new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`${what} exited ${code}: ${out}`)));
  });
}

/** Decodes benchmark bodies as payops's ingest would; a body that does not decode is the benchmark's own fault. */
export function decodeAll(bodies: Buffer[]): NormalizedEvent[] {
  return bodies.map((body, i) => {
    const r = decodeMessage({ body, arrivalMs: 0, routingKey: null, headers: null, contentType: 'application/cloudevents+json' });
    if (!r.ok) throw new Error(`event ${i} does not decode: ${r.reason}`);
    return r.event;
  });
}
