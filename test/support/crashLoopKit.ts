// Test support for the crash-loop fault tests (electron/faults/*CrashLoop.int.test.ts): queues of
// any type published to and deleted on the real broker, and one run of a stream-reading engine
// process (streamCrashLoopChild.ts) that dies on a poison, or reads to the end.
import { spawn } from 'node:child_process';
import path from 'node:path';
import amqp from 'amqplib';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from './broker';

export type QueueType = 'classic' | 'quorum' | 'stream';

export const eventBody = (id: string): Buffer => Buffer.from(JSON.stringify(paymentEvent('payment.authorized', { id })));

export async function deleteQueues(queues: readonly string[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
  } finally {
    await conn.close();
  }
}

/** Declares `queue` of `type` and publishes `bodies` to it, confirmed. */
export async function publishTo(queue: string, type: QueueType, bodies: Buffer[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': type } });
    for (const body of bodies) ch.sendToQueue(queue, body, { contentType: 'application/cloudevents+json', persistent: true });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

const STREAM_CHILD = path.resolve(__dirname, 'streamCrashLoopChild.ts');

/**
 * One engine process reading stream `queue` into `db`: 'killed' when it died on the poison (its
 * engine handling it, or with `dieOnDecode` its consumer thread decoding it), 'done' when it exited
 * 0 past `lastOffset`. Rejects after `timeoutMs` or on any other end.
 */
export function runStreamCrashLoopChild(
  db: string,
  queue: string,
  poison: string,
  lastOffset: number,
  dieOnDecode = false,
  timeoutMs = 60_000,
): Promise<{ end: 'killed' | 'done'; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), STREAM_CHILD, db, AMQP_URL, queue, poison, String(lastOffset)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: dieOnDecode ? { ...process.env, PAYOPS_TEST_DIE_ON_PARSE: poison } : process.env,
    });
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`the process neither died on the poison nor reached offset ${lastOffset} in ${timeoutMs / 1000} s:\n${log}`));
      else if (signal === 'SIGKILL') resolve({ end: 'killed', log });
      else if (code === 0) resolve({ end: 'done', log });
      else reject(new Error(`the process ended with ${code ?? signal}:\n${log}`));
    });
  });
}
