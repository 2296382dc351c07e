// Restarts the shared broker: runs alone, after every other suite (see vitest.faults.config.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishResilient, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { paymentEvent } from '../../bench/events';
import { storedIdentities } from '../../test/support/storedIds';
import { rabbitmqctl } from '../../test/support/faultKit';
import { tempDir } from '../../test/support/tempDir';
import { waitFor } from '../../test/support/waitFor';

const dir = tempDir();
const t = uniqueTopology('restart');
afterAll(async () => {
  rabbitmqctl('start_app');
  await deleteTopology(t);
});

describe('broker restart mid-stream', () => {
  it('reconnects after stop_app/start_app and stores every event exactly once', async () => {
    const total = 15_000;
    const events = Array.from({ length: total }, () => paymentEvent('payment.captured'));
    await prepareQueue(t);
    const db = path.join(dir, 'restart.db');
    const args = ['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#'];
    const collector = startPayops(args);
    let log = '';
    collector.stderr!.on('data', (d) => (log += d));
    const items = events.map((e) => ({ body: JSON.stringify(e), routingKey: e.type }));
    // A first part, then the rest at a pace that lasts while the broker restarts: the broker
    // goes down once the collector has stored some of the first part and the publisher is
    // under way with the rest, however long the collector took to start.
    await publishResilient(t.exchange, items.slice(0, 5000), 2500);
    const storedSoFar = () => {
      try {
        return fs.existsSync(db) ? storedIdentities(db).total : 0;
      } catch {
        return 0; // the collector is still creating its schema
      }
    };
    const beforeStop = await waitFor(storedSoFar, 'the collector to store its first events', 60_000, 100);
    let confirmed = 0;
    const publishing = publishResilient(t.exchange, items.slice(5000), 1000, AMQP_URL, 100, (n) => (confirmed = n));
    await waitFor(() => confirmed > 0, 'the rest to be under way', 60_000, 20);
    rabbitmqctl('stop_app');
    await new Promise((r) => setTimeout(r, 2000));
    rabbitmqctl('start_app');
    const { reconnects } = await publishing;

    // The running collector must come back by itself and finish the queue.
    const deadline = Date.now() + 60_000;
    while (storedIdentities(db).distinct < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    collector.kill('SIGTERM');
    const exitCode = await new Promise((r) => collector.once('exit', r));
    expect(exitCode).toBe(0);
    expect(log).toMatch(/reconnecting/);
    expect(log).not.toContain('guest:guest');

    const stored = storedIdentities(db);
    expect({ beforeStopHadEvents: beforeStop > 0, publisherReconnected: reconnects > 0, total: stored.total, distinct: stored.distinct }).toEqual({
      beforeStopHadEvents: true,
      publisherReconnected: true,
      total,
      distinct: total,
    });
    for (const e of events) if (!stored.ids.has(`${e.source}|${e.id}`)) throw new Error(`lost ${e.id}`);
    const stats = lastJson((await runPayops(['stats', '--db', db, '--json'])).stdout);
    expect(stats.events).toBe(total);
  }, 180_000);
});
