// A live session (real broker, real SQLite) receiving one event whose producer's clock is
// 3 years ahead, between current traffic: the engine's clock stays the wall clock, the live
// windows go on counting the current events, and the alert evaluator ignores the far one
// (futureEventsIgnored) without dropping any current event as late.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { DEFAULT_BROKER } from '../broker/brokerConfig';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology, type TestTopology } from '../../../test/support/broker';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { composeEngine } from './composeEngine';

const dir = tempDir('payops-misdated-live-');
const topologies: TestTopology[] = [];
afterAll(async () => {
  for (const t of topologies) await deleteTopology(t);
});

const THREE_YEARS_MS = 3 * 365 * 86_400_000;

describe('a live event dated 3 years ahead', () => {
  it('moves neither the engine clock nor the windows, and no current event is counted late', async () => {
    const t = uniqueTopology('misdated');
    topologies.push(t);
    await prepareQueue(t);
    const session = composeEngine(
      {
        dbFile: path.join(dir, 'live.db'),
        session: 'live',
        broker: { ...DEFAULT_BROKER, url: AMQP_URL, exchange: t.exchange, queue: t.queue, bindings: ['#'], initialRetries: Infinity },
        flushMs: 20,
        rulesFile: null,
      },
      { snapshot: () => undefined, log: () => undefined },
    );
    const engine = session.engine;
    // Current traffic, stamped 2 s ago (a window ends at the last complete second).
    const current = (n: number) =>
      Array.from({ length: n }, () => {
        const e = paymentEvent('payment.authorized', { time: new Date(Date.now() - 2000).toISOString() });
        return { body: JSON.stringify(e), routingKey: e.type };
      });
    try {
      await session.start();
      await waitFor(() => engine.snapshot().connection.state === 'connected', 'connected', 20_000);
      await publishAll(t.exchange, current(40));
      await waitFor(() => engine.snapshot().totals.events === 40, 'the first 40 stored', 20_000);
      const ahead = paymentEvent('payment.declined', { time: new Date(Date.now() + THREE_YEARS_MS).toISOString() });
      await publishAll(t.exchange, [{ body: JSON.stringify(ahead), routingKey: ahead.type }]);
      await waitFor(() => engine.snapshot().totals.events === 41, 'the far event stored', 20_000);
      await publishAll(t.exchange, current(40));
      await waitFor(() => engine.snapshot().totals.events === 81, 'the next 40 stored', 20_000);

      const before = Date.now();
      const s = engine.snapshot();
      expect(s.clock).toBeGreaterThanOrEqual(before - 1000);
      expect(s.clock).toBeLessThanOrEqual(Date.now());
      // The 80 current events are in the last minute's window; the far one is in no window.
      expect(s.rates.total.m1 * 60).toBeCloseTo(80, 6);
      expect(s.approvalRate).toBe(1);
      expect(s.declineRate).toBe(0);
      const stats = session.alerting.evaluator.stats();
      expect(stats.futureEventsIgnored).toBe(1);
      expect(stats.lateEventsDropped).toBe(0);
    } finally {
      await session.stop();
    }
  }, 120_000);
});
