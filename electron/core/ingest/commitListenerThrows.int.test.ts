// A listener called after the ingest transaction commits (alerting, the metrics publisher's
// kick, ...) that throws. It threw out of IngestPipeline.flush, which runs inside push, inside
// the loop that hands a chunk of deliveries to the pipeline: the rest of the chunk was never
// pushed (and the next batch's multiple=true acknowledgement would take it along, never
// stored), the listeners after it and the snapshot were skipped, and the exception escaped
// the engine thread's message handler (an uncaught exception: the thread ends). Real SQLite,
// the engine as composed; fed by a source handing a chunk over in one loop as the broker
// intake does, and (PAYOPS_LONG: the consumer thread takes seconds to start) by the real broker.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../../test/support/broker';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { DEFAULT_BROKER } from '../broker/brokerConfig';
import { composeEngine } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import type { IngestSource } from './ingestSource';

const dir = tempDir('payops-commitlistener-');
const t = uniqueTopology('commitlistener');
afterAll(() => deleteTopology(t));

/** Pushes `count` messages in one loop, each with an ack token, as BrokerIntake.deliver hands a chunk over. */
function chunkSource(count: number): IngestSource {
  return {
    start(push) {
      for (let tag = 1; tag <= count; tag++) {
        const e = paymentEvent('payment.authorized');
        push({ raw: { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: 'application/json', routingKey: e.type, arrivalMs: Date.now() }, ackToken: { generation: 1, tag } });
      }
    },
    stop() {},
  };
}

/**
 * The engine as composed, with a first commit listener that throws on every batch and a second
 * that counts what it sees; what escapes as uncaught is recorded until the session stops.
 */
function sessionWithBrokenListener(config: Omit<EngineConfig, 'session' | 'rulesFile'>) {
  const escaped: unknown[] = [];
  const onEscaped = (reason: unknown): void => void escaped.push(reason);
  process.on('uncaughtException', onEscaped);
  process.on('unhandledRejection', onEscaped);
  const logs: string[] = [];
  const session = composeEngine({ ...config, session: 'live', batchSize: 10, flushMs: 20, rulesFile: null }, { snapshot: () => undefined, log: (line) => void logs.push(line) });
  const seen = { thrown: 0, afterIt: 0 };
  session.engine.onCommitted(() => {
    seen.thrown += 1;
    throw new Error('listener broke on amqp://ops:s3cret@10.0.0.1:5672');
  });
  session.engine.onCommitted((outcome) => void (seen.afterIt += outcome.inserted.length));
  return {
    session,
    escaped,
    /** Every one of `total` messages stored, acknowledged and seen by the second listener; one line said it, without the secret. */
    expectAllHandled(total: number): void {
      expect(session.engine.snapshot().totals.events).toBe(total);
      expect(session.engine.timing.acknowledged).toBe(total);
      expect(seen.afterIt).toBe(total);
      expect(seen.thrown).toBeGreaterThan(1);
      expect(escaped).toEqual([]);
      const lines = logs.filter((l) => /listener broke/.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain('s3cret');
    },
    async stop(): Promise<void> {
      await session.stop();
      process.off('uncaughtException', onEscaped);
      process.off('unhandledRejection', onEscaped);
    },
  };
}

describe('a commit listener that throws', () => {
  it('does not cut a chunk handed over: every message stored and acknowledged, the other listeners called, one log line without its secret', async () => {
    const s = sessionWithBrokenListener({ dbFile: path.join(dir, 'source.db') });
    try {
      await s.session.engine.start(chunkSource(100));
      s.expectAllHandled(100);
    } finally {
      await s.stop();
    }
  });

  it.runIf(process.env.PAYOPS_LONG)('from the real broker: every message stored and acknowledged, the other listeners called, one log line', async () => {
    await prepareQueue(t);
    const s = sessionWithBrokenListener({
      dbFile: path.join(dir, 'live.db'),
      broker: { ...DEFAULT_BROKER, url: AMQP_URL, exchange: t.exchange, queue: t.queue, bindings: ['#'], prefetch: 200 },
    });
    try {
      await s.session.start();
      const total = 100;
      await publishAll(t.exchange, Array.from({ length: total }, () => {
        const e = paymentEvent('payment.authorized');
        return { body: JSON.stringify(e), routingKey: e.type };
      }));
      const engine = s.session.engine;
      await waitFor(() => engine.snapshot().totals.events === total, () => `all stored (stored ${engine.snapshot().totals.events}; ${s.escaped.length} uncaught: ${String(s.escaped[0])})`);
      await waitFor(() => engine.timing.acknowledged === total, () => `all acknowledged (${engine.timing.acknowledged})`);
      s.expectAllHandled(total);
    } finally {
      await s.stop();
    }
  });
});
