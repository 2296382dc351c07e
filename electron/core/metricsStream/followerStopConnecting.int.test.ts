// A follower stopped while it is connecting or waiting to retry. stop() bounded only the close
// of a connection already made: an attempt under way went on after it (against a broker that
// accepts and never answers, its socket stayed open, and start() pending, until the 5 s
// connect timeout; against one that answers late, the follower connected and followed after
// its stop, its connection keeping the process alive), and a start() with a retry budget
// slept out its backoff (up to 10 s). Real TCP listeners on loopback; the late broker is the
// real one behind a listener that waits before passing the connection on.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { loopbackListener, neverAnswers, passOnToBroker, stopTimed } from '../../../test/support/loopbackListener';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { openStore, type Store } from '../store/store';
import { amqpConnect } from '../broker/amqpConnect';
import { MetricsFollower } from './metricsFollower';
import { declareMetricsStream, DEFAULT_STREAM_RETENTION } from './streamQueue';

const dir = tempDir('payops-follower-stop-');
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function follower(port: number, initialRetries?: number): { follower: MetricsFollower; stream: string } {
  const store: Store = openStore(path.join(dir, `${randomUUID()}.db`));
  cleanups.push(() => store.close());
  const stream = `t.followstop.${randomUUID().slice(0, 8)}`;
  const f = new MetricsFollower({ url: `amqp://guest:guest@127.0.0.1:${port}`, stream, store, log: () => undefined, initialRetries });
  return { follower: f, stream };
}

describe('a metrics follower stopped while connecting', () => {
  it('to a broker that accepts and never answers: stop() ends the attempt, start() settles, the socket is closed', async () => {
    const stalled = await loopbackListener(neverAnswers, cleanups);
    const { follower: f } = follower(stalled.port);
    const started = f.start();
    await waitFor(() => stalled.accepted() === 1, 'the listener accepted');
    const took = await stopTimed(f, started);
    expect(took.stop).toBeLessThan(1000);
    expect(took.start).toBeLessThan(1000);
    await waitFor(() => stalled.open() === 0, 'the follower closed its socket', 1000);
    expect(f.status.state).toBe('stopped');
  });

  it('to a broker that answers late: it does not connect and follow after its stop', async () => {
    let stopped = (): void => undefined;
    const afterStop = new Promise<void>((resolve) => (stopped = resolve));
    // The real broker, once the follower has been stopped.
    const late = await loopbackListener((client) => void afterStop.then(() => client.destroyed || passOnToBroker(client)), cleanups);
    const { follower: f, stream } = follower(late.port);
    const conn = await amqpConnect(AMQP_URL);
    await declareMetricsStream(() => conn.createChannel(), stream, DEFAULT_STREAM_RETENTION);
    await conn.close();
    cleanups.push(() => deleteQueues([stream]));
    const started = f.start();
    await waitFor(() => late.accepted() === 1, 'the listener accepted');
    await f.stop();
    stopped();
    await started.catch(() => undefined);
    await waitFor(() => late.open() === 0, () => `no connection left open (state ${f.status.state})`, 1000);
    expect(f.status.state).toBe('stopped');
  });
});

describe('a metrics follower with a retry budget stopped between attempts', () => {
  it('start() settles at once, not after its backoff', async () => {
    // Refuses each connection at once: every attempt fails fast, the backoff doubles (0.8-1.2 s before the 3rd retry).
    const refusing = await loopbackListener((s) => s.destroy(), cleanups);
    const { follower: f } = follower(refusing.port, 10);
    const started = f.start();
    await waitFor(() => refusing.accepted() === 3, 'three attempts refused', 5000);
    const took = await stopTimed(f, started);
    expect(took.start).toBeLessThan(500);
    expect(f.status.state).toBe('stopped');
  });
});
