// What a follower shows against what its collector stored, for traffic nobody shaped for it:
// the PaySim sample at its own cardinality, delivered late and out of order in batches, with
// redeliveries, malformed messages, unknown types, zero- and three-decimal currencies and
// events years apart. Real broker stream, real SQLite files.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { AMQP_URL } from '../../../test/support/broker';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { tempDir } from '../../../test/support/tempDir';
import { decodeMessage } from '../../../shared/events/decode';
import { newConsoleId } from '../broker/consoleQueue';
import { parsePaysimCsv, paysimToEvents } from '../sim/paysimMapping';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore } from '../store/store';
import { MetricsFollower } from './metricsFollower';
import { MetricsPublisher } from './metricsPublisher';
import { recordMetricsOutbox } from './outboxHooks';
import { DEFAULT_STREAM_RETENTION } from './streamQueue';

const dir = tempDir('payops-follow-parity-');
const stream = `t.parity.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

function raw(body: string, redelivered = false): IncomingMessage {
  const r = { body: Buffer.from(body), arrivalMs: Date.now(), routingKey: null };
  return { raw: r, result: decodeMessage(r), redelivered };
}

/** A deterministic shuffle (late and out of order), seeded. */
function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('a follower against its collector', () => {
  it('shows the same stats for PaySim traffic delivered late, out of order, twice and broken', async () => {
    const csv = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'paysim-10k.csv'), 'utf8');
    const events = paysimToEvents(parsePaysimCsv(csv)).map((e) => JSON.stringify(e));
    const extra = [
      paymentEvent('payment.authorized', {}, { amount: 123456, currency: 'JPY' }),
      paymentEvent('payment.authorized', {}, { amount: 1234, currency: 'KWD' }),
      paymentEvent('payment.authorized', { time: '1999-12-31T23:59:59.999Z' }, { amount: 5, currency: 'EUR' }),
      paymentEvent('payment.authorized', { time: '2031-03-30T01:30:00+02:00' }, { amount: 7, currency: 'EUR' }),
      paymentEvent('payment.declined', { time: '2026-10-25T02:30:00+01:00' }),
      paymentEvent('weird.type.ünïcødé', {}),
    ].map((e) => JSON.stringify(e));
    const broken = ['{', '', 'null', '{"specversion":"1.0"}', '\u0000\u0001'];
    const all = shuffle([...events, ...extra, ...broken], 42);
    const collector = openStore(path.join(dir, 'collector.db'));
    recordMetricsOutbox(collector, 'queue');
    const publisher = new MetricsPublisher({ url: AMQP_URL, stream, retention: DEFAULT_STREAM_RETENTION, collector: collector.meta.getOrCreate('console_id', newConsoleId), store: collector, log: () => undefined });
    const fstore = openStore(path.join(dir, 'follower.db'));
    const logs: string[] = [];
    const follower = new MetricsFollower({ url: AMQP_URL, stream, store: fstore, log: (l) => logs.push(l), flushMs: 20, batchSize: 37 });
    try {
      const conn = await amqp.connect(AMQP_URL);
      await (await conn.createChannel()).assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D', 'x-max-length-bytes': 2_000_000_000 } });
      await conn.close();
      await follower.start();
      // Batches of uneven size; every seventh batch is delivered again (a redelivery after a lost ack).
      let i = 0;
      let b = 0;
      while (i < all.length) {
        const size = 1 + ((b * 97) % 400);
        const items = all.slice(i, i + size).map((body) => raw(body));
        collector.ingest.commit(items);
        if (b % 7 === 3) collector.ingest.commit(all.slice(i, i + size).map((body) => raw(body, true)));
        publisher.kick();
        i += size;
        b += 1;
      }
      await publisher.stop(20_000);
      expect(collector.metricsStream.outboxSize()).toBe(0);
      const deadline = Date.now() + 30_000;
      while (!(await follower.caughtUp())) {
        if (Date.now() > deadline) throw new Error('not caught up');
        await new Promise((r) => setTimeout(r, 50));
      }
      const c = collector.stats();
      const f = fstore.stats();
      // A follower holds no raw events: its time range is its rollups', to the second (README).
      // Nor the quarantined messages: it counts the collector's (quarantined) and holds none.
      const toSecond = (t: string | null) => t && new Date(Math.floor(Date.parse(t) / 1000) * 1000).toISOString();
      expect(c.quarantineHeld).toBe(c.quarantined);
      expect({ ...f, events: 0 }).toEqual({ ...c, events: 0, quarantineHeld: 0, firstEventTime: toSecond(c.firstEventTime), lastEventTime: toSecond(c.lastEventTime) });
      expect(follower.totals.skipped).toBe(0);
      expect(logs.filter((l) => l.startsWith('warning'))).toEqual([]);
    } finally {
      await follower.stop();
      collector.close();
      fstore.close();
    }
  }, 120_000);

  it('applies a batch holding an event stamped before 1970 (a producer clock at zero), as the collector stored it', async () => {
    const name = `t.parity.old.${randomUUID().slice(0, 8)}.metrics`;
    const collector = openStore(path.join(dir, 'collector-1969.db'));
    recordMetricsOutbox(collector, 'queue');
    const publisher = new MetricsPublisher({ url: AMQP_URL, stream: name, retention: DEFAULT_STREAM_RETENTION, collector: collector.meta.getOrCreate('console_id', newConsoleId), store: collector, log: () => undefined });
    const fstore = openStore(path.join(dir, 'follower-1969.db'));
    const logs: string[] = [];
    const follower = new MetricsFollower({ url: AMQP_URL, stream: name, store: fstore, log: (l) => logs.push(l), flushMs: 20 });
    try {
      const batch = [
        paymentEvent('payment.authorized', { time: '1969-07-20T20:17:40Z' }, { amount: 100, currency: 'USD' }),
        ...Array.from({ length: 20 }, () => paymentEvent('payment.authorized', {}, { amount: 250, currency: 'EUR' })),
      ];
      collector.ingest.commit(batch.map((e) => raw(JSON.stringify(e))));
      expect(collector.stats().byType).toEqual({ 'payment.authorized': 21 });
      publisher.kick();
      await publisher.stop(20_000);
      await follower.start();
      const deadline = Date.now() + 20_000;
      while (!(await follower.caughtUp())) {
        if (Date.now() > deadline) throw new Error('not caught up');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(logs.filter((l) => l.startsWith('warning'))).toEqual([]);
      expect(fstore.stats().byType).toEqual({ 'payment.authorized': 21 });
      expect(fstore.stats().firstEventTime).toBe('1969-07-20T20:17:40.000Z');
    } finally {
      await follower.stop();
      collector.close();
      fstore.close();
      await deleteQueues([name]);
    }
  }, 60_000);
});
