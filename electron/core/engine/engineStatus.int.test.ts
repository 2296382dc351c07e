// Issue 11, "the status can lie": the header showed a green LIVE badge while the broker was
// idle or the connection lost, next to "3,000 events stored" and "Last event: none yet".
// Against the real broker (through a loopback proxy the test can cut), the snapshot's status
// says exactly what is happening, and "Last event" comes from the database "stored" counts.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BROKER } from '../broker/brokerConfig';
import { openDatabase } from '../store/database';
import { deleteTopology, prepareQueue, publishAll, uniqueTopology, type TestTopology } from '../../../test/support/broker';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { startTcpProxy } from '../../../test/support/tcpProxy';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { paymentEvent } from '../../../bench/events';
import { composeEngine } from './composeEngine';

const dir = tempDir('payops-status-');
const topologies: TestTopology[] = [];
afterAll(async () => {
  for (const t of topologies) await deleteTopology(t);
});

describe('the status never lies', () => {
  it('says quiet, receiving, lost (since when) and back, and shows the last stored event of the same database', async () => {
    const t = uniqueTopology('status');
    topologies.push(t);
    await prepareQueue(t);
    // A database that already holds 3,000 events from an earlier session.
    const dbFile = path.join(dir, 'live.db');
    const db = openDatabase(dbFile);
    const earlier = Date.UTC(2026, 0, 2, 3, 4, 5);
    storeEvents(db, Array.from({ length: 3000 }, (_, i) => paymentEvent('payment.authorized', { time: new Date(earlier + i).toISOString() })));
    db.close();

    const proxy = await startTcpProxy();
    const session = composeEngine(
      {
        dbFile,
        session: 'live',
        broker: { ...DEFAULT_BROKER, url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, exchange: t.exchange, queue: t.queue, bindings: ['#'], initialRetries: Infinity },
        flushMs: 20,
        rulesFile: null,
      },
      { snapshot: () => undefined, log: () => undefined },
    );
    const engine = session.engine;
    try {
      await session.start();
      // Before: "LIVE" beside "3,000 events stored" and "Last event: none yet".
      const first = engine.snapshot();
      expect(first.totals.events).toBe(3000);
      expect(first.lastEventAt).toBe(earlier + 2999);
      await waitFor(() => engine.snapshot().connection.state === 'connected', 'connected', 20_000);
      const quiet = engine.snapshot().status;
      expect(quiet.state).toBe('quiet');
      expect(quiet.lastReceivedAt).toBeNull();

      await publishAll(t.exchange, Array.from({ length: 50 }, () => {
        const e = paymentEvent('payment.authorized');
        return { body: JSON.stringify(e), routingKey: e.type };
      }));
      await waitFor(() => engine.snapshot().status.state === 'receiving', 'receiving', 20_000);
      await waitFor(() => engine.snapshot().totals.events === 3050, 'stored', 20_000);
      expect(engine.snapshot().lastEventAt).toBeGreaterThan(earlier + 2999);
      // Nothing more arrives: after QUIET_AFTER_MS the badge says so, counting from the last message.
      await waitFor(() => engine.snapshot().status.state === 'quiet', 'quiet again', 20_000);
      const s = engine.snapshot().status;
      expect(s.since).toBe(s.lastReceivedAt);

      const cutAt = Date.now();
      proxy.cut();
      await waitFor(() => engine.snapshot().status.state === 'lost', 'lost', 20_000);
      const lost = engine.snapshot().status;
      expect(lost.since).toBeGreaterThanOrEqual(cutAt);
      expect(lost.since).toBeLessThan(cutAt + 5000);
      // It stays "lost since <the cut>" through the retries, never "receiving" or "connecting".
      await waitFor(() => engine.snapshot().connection.attempts >= 2, 'retries', 20_000);
      expect(engine.snapshot().status).toMatchObject({ state: 'lost', since: lost.since });

      proxy.restore();
      await waitFor(() => engine.snapshot().status.state === 'quiet', 'reconnected', 30_000);
    } finally {
      await session.stop();
      await proxy.close();
    }
  }, 120_000);
});
