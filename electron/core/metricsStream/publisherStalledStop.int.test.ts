// A collector (and a follower) stopped while the broker does not answer: a broker that
// blocks publishers (a memory or disk alarm: connection.blocked, it reads nothing more from
// the connection) or one that stalled. Its confirms never come; stop(timeoutMs) awaited the
// publish under way without a bound, so `collect --publish-metrics` never ended on SIGTERM. A
// follower's stop awaited the connection's close handshake the same way (`follow` and a follow
// console never ended against a stalled broker).
// Real broker, behind a loopback TCP proxy that stops passing on what the broker sends.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { incoming } from '../../../test/support/storedTextKit';
import { startTcpProxy } from '../../../test/support/tcpProxy';
import { tempDir } from '../../../test/support/tempDir';
import { settlesWithin } from '../../../test/support/loopbackListener';
import { waitFor } from '../../../test/support/waitFor';
import { newConsoleId } from '../broker/consoleQueue';
import { openStore } from '../store/store';
import { MetricsFollower } from './metricsFollower';
import { MetricsPublisher } from './metricsPublisher';
import { recordMetricsOutbox } from './outboxHooks';
import { DEFAULT_STREAM_RETENTION } from './streamQueue';

const dir = tempDir('payops-stalled-publisher-');
const stream = `t.stalledpub.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

describe('a metrics publisher whose broker stops answering', () => {
  it('stop(timeoutMs) returns at its bound, and what was not confirmed stays in the outbox', async () => {
    const proxy = await startTcpProxy();
    const store = openStore(path.join(dir, 'collector.db'));
    recordMetricsOutbox(store, 'queue');
    const logs: string[] = [];
    const publisher = new MetricsPublisher({
      url: `amqp://guest:guest@127.0.0.1:${proxy.port}`,
      stream,
      retention: DEFAULT_STREAM_RETENTION,
      collector: store.meta.getOrCreate('console_id', newConsoleId),
      store,
      log: (l) => logs.push(l),
    });
    try {
      store.ingest.commit([paymentEvent('payment.authorized')].map((e) => incoming(e, Date.now())));
      publisher.kick();
      await waitFor(() => publisher.published === 1, 'the first message confirmed', 10_000);
      // The broker's answers stop: the next publish waits for a confirm that does not come.
      proxy.hold();
      store.ingest.commit([paymentEvent('payment.authorized')].map((e) => incoming(e, Date.now())));
      publisher.kick();
      // Its bound, not the confirm it waits for: settled well before a stall would end (never).
      await settlesWithin(publisher.stop(200), 2000, () => `stop(200) settled (log: ${logs.join(' | ')})`);
      expect(store.metricsStream.outboxSize()).toBe(1);
      expect(logs).toContain('metrics stream: 1 message not yet confirmed stays in the outbox; published at the next start');
    } finally {
      proxy.release();
      await proxy.close();
      store.close();
    }
  }, 20_000);
});

describe('a metrics follower whose broker stops answering', () => {
  it('stop() gives up the close handshake at its bound and drops the socket', async () => {
    const proxy = await startTcpProxy();
    const fstore = openStore(path.join(dir, 'follower.db'));
    const logs: string[] = [];
    const follower = new MetricsFollower({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, stream, store: fstore, log: (l) => logs.push(l), flushMs: 20, closeTimeoutMs: 200 });
    try {
      await follower.start();
      proxy.hold();
      await settlesWithin(follower.stop(), 2000, () => `stop() settled (log: ${logs.join(' | ')})`);
      // Ended by its bound: the close the broker never answered was given up, the socket dropped.
      expect(logs).toContain('connection to the broker dropped without its close handshake');
    } finally {
      proxy.release();
      await proxy.close();
      fstore.close();
    }
  }, 20_000);
});
