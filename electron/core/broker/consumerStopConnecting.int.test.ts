// A broker consumer stopped while it is connecting or waiting to retry. stop() ended only a
// connection already made: an attempt under way went on after it (against a broker that
// accepts and never answers, its socket stayed open, and start() pending, until the 5 s
// connect timeout; a reconnect's attempt then failed and set 'reconnecting' after the stop),
// and a start() with a retry budget slept out its backoff. Real TCP listeners on loopback; the
// first connection of the reconnect case is passed on to the real broker.
import { afterEach, describe, expect, it } from 'vitest';
import { deleteTopology, uniqueTopology } from '../../../test/support/broker';
import { loopbackListener, neverAnswers, passOnToBroker, settlesWithin, stopTimed } from '../../../test/support/loopbackListener';
import { waitFor } from '../../../test/support/waitFor';
import type { ConnectionStatus } from '../../../shared/metrics';
import { DEFAULT_BROKER } from './brokerConfig';
import { BrokerConsumer } from './brokerConsumer';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A consumer of a fresh queue through `port`; every state it reports, in order. */
function consumer(port: number, initialRetries?: number): { consumer: BrokerConsumer; states: ConnectionStatus['state'][] } {
  const topo = uniqueTopology('consumerstop');
  cleanups.push(() => deleteTopology(topo));
  const states: ConnectionStatus['state'][] = [];
  const c = new BrokerConsumer(
    { ...DEFAULT_BROKER, url: `amqp://guest:guest@127.0.0.1:${port}`, exchange: topo.exchange, queue: topo.queue, initialRetries },
    { onDelivery: () => undefined, onStatus: (s) => void states.push(s.state), log: () => undefined },
  );
  return { consumer: c, states };
}

describe('a broker consumer stopped while connecting', () => {
  it('to a broker that accepts and never answers: stop() ends the attempt, start() settles, the socket is closed', async () => {
    const stalled = await loopbackListener(neverAnswers, cleanups);
    const { consumer: c } = consumer(stalled.port);
    const started = c.start();
    await waitFor(() => stalled.accepted() === 1, 'the listener accepted');
    const took = await stopTimed(c, started);
    expect(took.stop).toBeLessThan(1000);
    expect(took.start).toBeLessThan(1000);
    await waitFor(() => stalled.open() === 0, 'the consumer closed its socket', 1000);
    expect(c.status.state).toBe('disconnected');
  });

  it('again, after losing its connection: the attempt ends with the stop and does not set reconnecting after it', async () => {
    // The first connection reaches the real broker; the reconnect's is accepted and never answered.
    const broker = await loopbackListener((s, n) => (n === 1 ? passOnToBroker(s) : neverAnswers(s)), cleanups);
    const { consumer: c, states } = consumer(broker.port);
    await c.start();
    expect(c.status.state).toBe('connected');
    broker.dropAll();
    await waitFor(() => broker.accepted() === 2 && broker.open() === 1, 'the reconnect accepted', 3000);
    const stoppedFrom = states.length;
    await settlesWithin(c.stop(), 1000, 'stop()');
    await waitFor(() => broker.open() === 0, () => `the reconnect's socket closed (states since the stop: ${states.slice(stoppedFrom).join(', ')})`, 1000);
    // Whatever the ended attempt reports comes in the turns after its socket closed.
    await new Promise((resolve) => setImmediate(resolve));
    expect(c.status.state).toBe('disconnected');
    expect(states.slice(stoppedFrom)).not.toContain('reconnecting');
  });
});

describe('a broker consumer with a retry budget stopped between attempts', () => {
  it('start() settles at once, not after its backoff', async () => {
    // Refuses each connection at once: every attempt fails fast, the backoff doubles (0.48-1.12 s before the 3rd retry).
    const refusing = await loopbackListener((s) => s.destroy(), cleanups);
    const { consumer: c } = consumer(refusing.port, 10);
    const started = c.start();
    await waitFor(() => refusing.accepted() === 3, 'three attempts refused', 5000);
    const took = await stopTimed(c, started);
    expect(took.start).toBeLessThan(400);
    expect(c.status.state).toBe('disconnected');
  });
});
