// A consumer thread (the amqplib consumer that decodes and hands deliveries to the engine) that
// ended by itself left the console "connected", and nothing started it again: ingest stopped in
// silence. Real broker, real store: the thread is ended from outside (terminated through the
// engine's handle on it), then by an uncaught exception inside it (a malformed acknowledgement
// reaching its 'ack' listener), then ended again before it acknowledged anything (the wait before
// the next start doubles). Each time the status says it stopped and why, a new thread
// starts, and every event is stored exactly once: what the ended thread had not acknowledged
// comes again from the broker, and the store keeps one copy by (source, id).
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../../test/support/broker';
import { queueCountsNow } from '../../../test/support/faultKit';
import { storedIdentities } from '../../../test/support/storedIds';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { DEFAULT_BROKER } from '../broker/brokerConfig';
import { composeEngine } from './composeEngine';
import type { Engine } from './engine';

const dir = tempDir('payops-consumer-thread-');
const t = uniqueTopology('consumer-thread-restart');
afterAll(() => deleteTopology(t));

/** The engine's own handle on its consumer thread (what the engine terminates on stop). */
const consumerThread = (engine: Engine): Worker => (engine as unknown as { consumer: { worker: Worker } }).consumer.worker;

const publishEvents = (n: number) =>
  publishAll(
    t.exchange,
    Array.from({ length: n }, () => {
      const e = paymentEvent('payment.authorized');
      return { body: JSON.stringify(e), routingKey: e.type };
    }),
  );

describe('a consumer thread that ends by itself', () => {
  it('is said stopped (and why) and restarted; every event stored once, nothing left with the broker', async () => {
    await prepareQueue(t, ['#']);
    const dbFile = path.join(dir, 'live.db');
    const logs: string[] = [];
    const session = composeEngine(
      {
        dbFile,
        session: 'live',
        broker: { ...DEFAULT_BROKER, url: AMQP_URL, exchange: t.exchange, queue: t.queue, bindings: ['#'], prefetch: 100, initialRetries: Infinity },
        flushMs: 20,
        rulesFile: null,
      },
      { snapshot: () => undefined, log: (line) => void logs.push(line) },
    );
    const engine = session.engine;
    const stored = () => engine.snapshot().totals.events;
    try {
      await session.start();
      await waitFor(() => engine.snapshot().connection.state === 'connected', 'connected', 20_000);

      // 1. Terminated while it holds deliveries not yet acknowledged (prefetch 100: most of the
      // backlog is still with the broker).
      const first = 5000;
      await publishEvents(first);
      await waitFor(() => stored() > 0, 'the first batches stored', 20_000, 1);
      const firstThread = consumerThread(engine);
      await firstThread.terminate();
      expect(stored()).toBeLessThan(first);
      await waitFor(() => engine.snapshot().connection.state === 'disconnected', () => `the status no longer "connected" (${JSON.stringify(engine.snapshot().connection)})`, 10_000);
      expect(engine.snapshot().status.state).toBe('lost');
      expect(engine.snapshot().status.detail).toMatch(/^consumer thread stopped: the thread exited \(code 1\); restarting it in \d+\.\d s \(restart 1\)$/);
      await waitFor(() => stored() === first, () => `every event stored after the restart (${stored()} of ${first})`, 60_000, 50);
      await waitFor(() => engine.snapshot().connection.state === 'connected', 'connected again', 20_000);
      expect(consumerThread(engine)).not.toBe(firstThread);

      // 2. An uncaught exception inside it: an acknowledgement it cannot read.
      const secondThread = consumerThread(engine);
      secondThread.postMessage({ rpc: 'event', name: 'ack', payload: null });
      await waitFor(() => engine.snapshot().connection.state === 'disconnected', 'stopped again', 10_000);
      expect(engine.snapshot().status.detail).toMatch(/^consumer thread stopped: uncaught exception: .*generation.*; restarting it in \d+\.\d s \(restart \d\)$/);
      await waitFor(() => engine.snapshot().connection.state === 'connected', 'connected again', 20_000);

      // 3. Ended again before it acknowledged anything: the wait doubles (2 s, +/- 20 %).
      await consumerThread(engine).terminate();
      await waitFor(() => engine.snapshot().connection.state === 'disconnected', 'stopped a third time', 10_000);
      const detail = engine.snapshot().status.detail ?? '';
      expect(detail).toMatch(/^consumer thread stopped: the thread exited \(code 1\); restarting it in \d+\.\d s \(restart 2\)$/);
      expect(Number(/in (\d+\.\d) s/.exec(detail)![1])).toBeGreaterThanOrEqual(1.6);
      await waitFor(() => engine.snapshot().connection.state === 'connected', 'connected again', 20_000);
      const second = 1000;
      await publishEvents(second);
      await waitFor(() => stored() === first + second, () => `the events published after the second restart stored (${stored()} of ${first + second})`, 30_000, 50);
      await waitFor(async () => (await queueCountsNow(t.queue)).messages === 0, 'nothing left with the broker', 20_000, 200);
    } finally {
      await session.stop();
    }
    expect(logs.filter((l) => l.startsWith('consumer thread restarted'))).toHaveLength(3);
    const ids = storedIdentities(dbFile);
    expect({ total: ids.total, distinct: ids.distinct }).toEqual({ total: 6000, distinct: 6000 });
  }, 120_000);
});
