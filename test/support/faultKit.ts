// Helpers of the fault suite (electron/faults): queue depth as the broker sees it, waiting
// for a condition, and padded events that fill a database quickly.
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { storedIdentities } from './storedIds';
import { paymentEvent, riskEvent } from '../../bench/events';

/** `rabbitmqctl stop_app` / `start_app`: the suites that restart the shared broker (*.fault.test.ts only). */
export function rabbitmqctl(cmd: 'stop_app' | 'start_app'): void {
  execFileSync('rabbitmqctl', [cmd], { stdio: 'ignore', timeout: 60_000 });
}

export interface QueueCounts {
  /** Ready + unacknowledged: everything the broker still holds (nothing acknowledged). */
  messages: number;
  ready: number;
  unacked: number;
}

/** The test broker's management API (the rabbitmq_management plugin .ci/run enables). */
const MANAGEMENT_URL = process.env.PAYOPS_TEST_MANAGEMENT_URL ?? 'http://127.0.0.1:15672';
const MANAGEMENT_AUTH = `Basic ${Buffer.from(process.env.PAYOPS_TEST_MANAGEMENT_USER ?? 'guest:guest').toString('base64')}`;

interface QueueTotals {
  name: string;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
}

/** The vhost's queues with their message totals, as the queues hold them now. */
async function queueTotals(vhost: string): Promise<QueueTotals[]> {
  // disable_stats + enable_queue_totals: the totals each queue keeps current itself (seen within
  // tens of ms of a publish, a delivery or an ack), not the statistics the management database
  // collects every 5 s (collect_statistics_interval), which lag up to two intervals. The list
  // endpoint, because the single-queue one leaves the totals out when its stats are disabled.
  const res = await fetch(`${MANAGEMENT_URL}/api/queues/${encodeURIComponent(vhost)}?disable_stats=true&enable_queue_totals=true`, {
    headers: { authorization: MANAGEMENT_AUTH },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`management API answered ${res.status} listing the queues of vhost ${vhost}`);
  return (await res.json()) as QueueTotals[];
}

function countsOf(queue: string, vhost: string, listed: QueueTotals[]): QueueCounts {
  const q = listed.find((item) => item.name === queue);
  if (!q) throw new Error(`queue ${queue} not listed by the management API in vhost ${vhost}`);
  const { messages, messages_ready: ready, messages_unacknowledged: unacked } = q;
  if (typeof messages !== 'number' || typeof ready !== 'number' || typeof unacked !== 'number') {
    throw new Error(`the management API listed queue ${queue} without its message totals: ${JSON.stringify(q)}`);
  }
  return { messages, ready, unacked };
}

/** How long apart two reads of a queue's totals must agree before they are taken as its counts. */
const SETTLE_MS = 150;
const SETTLE_LIMIT_MS = 1000;

/**
 * One read of the queue's totals, not waiting for them to settle: for a trigger that must fire
 * while a consumer is at work (queueCounts() waits up to SETTLE_LIMIT_MS for a moving queue).
 */
export async function queueCountsNow(queue: string, vhost = '/'): Promise<QueueCounts> {
  return countsOf(queue, vhost, await queueTotals(vhost));
}

/**
 * The broker's own counts for one queue (checkQueue does not report unacked), read from the
 * management API: the same figures `rabbitmqctl list_queues` gives, without booting an Erlang
 * VM (about 1.5 CPU-s) per read. The queue updates its totals a few ms after a change, so the
 * counts are taken once two reads SETTLE_MS apart agree; a queue still moving after
 * SETTLE_LIMIT_MS (a consumer at work) gives its latest read, as rabbitmqctl would.
 */
export async function queueCounts(queue: string, vhost = '/'): Promise<QueueCounts> {
  const limit = Date.now() + SETTLE_LIMIT_MS;
  let last = countsOf(queue, vhost, await queueTotals(vhost));
  while (Date.now() < limit) {
    await sleep(SETTLE_MS);
    const now = countsOf(queue, vhost, await queueTotals(vhost));
    if (now.messages === last.messages && now.ready === last.ready && now.unacked === last.unacked) return now;
    last = now;
  }
  return last;
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
  detail?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail()}` : ''}`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Events with `padBytes` of extra data each, so a few thousand fill a megabyte or more. */
export type TestEvent = { id: string; source: string; type: string } & Record<string, unknown>;

export function paddedEvents(n: number, padBytes = 400): TestEvent[] {
  const pad = 'x'.repeat(padBytes);
  return Array.from({ length: n }, (_, i) =>
    i % 5 === 4 ? riskEvent('risk.scored', {}, { note: pad }) : paymentEvent('payment.authorized', {}, { note: pad }),
  );
}

export function asPublishItems(events: { type: string }[]): { body: string; routingKey: string }[] {
  return events.map((e) => ({ body: JSON.stringify(e), routingKey: e.type }));
}

/** Collects a child's stdout and stderr as they arrive. */
export function collectOutput(child: ChildProcess): { stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return { stdout: () => stdout, stderr: () => stderr, exit };
}

/** Distinct stored events, 0 while the database does not exist yet. */
export function storedCount(db: string): number {
  if (!fs.existsSync(db)) return 0;
  try {
    return storedIdentities(db).distinct;
  } catch (err) {
    // Created but not yet migrated: nothing stored yet.
    if (/no such table/.test((err as Error).message)) return 0;
    throw err;
  }
}
