// Restarts the shared broker: runs alone, after every other suite (see vitest.faults.config.ts).
// Written with the redelivery guard (electron/core/broker/redeliveryGuard.ts), NOT run by the
// session that wrote it (other sessions shared the broker): a broker restart delivers again
// every message a collector held unacknowledged, marked redelivered, and the guard counts each
// of those in the database. Four restarts in a row while a collector drains a backlog must not
// add up to a message quarantined as a crash loop ("delivered 5 times and never stored"): what
// is stored between restarts forgets its count. Every event stored once, nothing quarantined,
// and no count left behind.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishResilient, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { paymentEvent } from '../../bench/events';
import { storedIdentities } from '../../test/support/storedIds';
import { rabbitmqctl } from '../../test/support/faultKit';
import { tempDir } from '../../test/support/tempDir';
import { waitFor } from '../../test/support/waitFor';

const dir = tempDir();
const t = uniqueTopology('redeliveryrestarts');
afterAll(async () => {
  rabbitmqctl('start_app');
  await deleteTopology(t);
});

describe('broker restarts while a collector holds messages, on a classic queue', () => {
  it('store every event once and quarantine none: redeliveries of the restarts are not a crash loop', async () => {
    const total = 20_000;
    const events = Array.from({ length: total }, () => paymentEvent('payment.captured'));
    await prepareQueue(t);
    await publishResilient(t.exchange, events.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })), 20_000);
    const db = path.join(dir, 'restarts.db');
    const collector = startPayops(['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#']);
    let log = '';
    collector.stderr!.on('data', (d) => (log += d));
    const stored = () => {
      try {
        return storedIdentities(db).distinct;
      } catch {
        return 0; // the collector is still creating its schema
      }
    };
    for (let restart = 1; restart <= 4; restart++) {
      // Each restart lands while the collector holds a prefetch window of the backlog.
      const before = stored();
      await waitFor(() => stored() > before || stored() === total, `the collector storing again before restart ${restart}`, 60_000, 50);
      rabbitmqctl('stop_app');
      rabbitmqctl('start_app');
    }
    await waitFor(() => stored() === total, () => `every event stored (${stored()} of ${total})`, 120_000, 500);
    collector.kill('SIGTERM');
    expect(await new Promise((r) => collector.once('exit', r))).toBe(0);
    expect(log).toMatch(/reconnecting/);
    expect(log).not.toMatch(/delivered \d+ times without being stored/);

    const ids = storedIdentities(db);
    expect({ total: ids.total, distinct: ids.distinct }).toEqual({ total, distinct: total });
    const stats = lastJson((await runPayops(['stats', '--db', db, '--json'])).stdout) as Record<string, number>;
    expect(stats.quarantined).toBe(0);
    const file = new Database(db, { readonly: true });
    try {
      expect(file.prepare('SELECT count(*) FROM delivery_attempts').pluck().get()).toBe(0);
    } finally {
      file.close();
    }
  }, 240_000);
});
