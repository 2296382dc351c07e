// Helpers of the fault suite (electron/faults): queue depth as the broker sees it, waiting
// for a condition, and padded events that fill a database quickly.
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { storedIdentities } from './storedIds';
import { paymentEvent, riskEvent } from '../../bench/events';

export interface QueueCounts {
  /** Ready + unacknowledged: everything the broker still holds (nothing acknowledged). */
  messages: number;
  ready: number;
  unacked: number;
}

/** The broker's own counts for one queue (rabbitmqctl: checkQueue does not report unacked). */
export function queueCounts(queue: string): QueueCounts {
  const out = execFileSync('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'messages', 'messages_ready', 'messages_unacknowledged'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  for (const line of out.split('\n')) {
    const [name, messages, ready, unacked] = line.trim().split(/\s+/);
    if (name === queue) return { messages: Number(messages), ready: Number(ready), unacked: Number(unacked) };
  }
  throw new Error(`queue ${queue} not listed by rabbitmqctl`);
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
