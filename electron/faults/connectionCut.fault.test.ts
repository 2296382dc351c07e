// Cuts broker connections (only this test's own, by its own broker user), so it runs with the
// fault suites (vitest.faults.config.ts), one file at a time after everything else.
//
// A batch is in flight (delivered, not yet committed: big --batch-size, long --flush-ms, and a
// prefetch of twice the backlog, as a batch commits at half the prefetch at most) when
// the collector's connection is closed by the broker, and reconnection is refused for a few
// seconds (the user's permissions are cleared). The batch still commits, its acknowledgement
// is refused on the dead channel (ackUpTo), so the broker keeps every message; after the
// permissions come back the collector reconnects, the messages are redelivered and
// deduplicated: every event stored exactly once, redelivered duplicates counted.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { closeConnectionsOf, createBrokerUser, deleteBrokerUser, grantBrokerUser, revokeBrokerUser } from '../../test/support/brokerUser';
import { asPublishItems, collectOutput, paddedEvents, queueCounts, storedCount, waitFor } from '../../test/support/faultKit';

const dir = tempDir('payops-cut-');
const t = uniqueTopology('cut');
const user = createBrokerUser('payops-cut');
afterAll(async () => {
  deleteBrokerUser(user.name);
  await deleteTopology(t);
});

describe('broker connection cut while a batch is in flight', () => {
  it('commits the batch, refuses its ack on the dead channel, and after reconnecting stores every event exactly once', async () => {
    const total = 20_000;
    const events = paddedEvents(total, 100);
    await prepareQueue(t);
    await publishAll(t.exchange, asPublishItems(events));
    const db = path.join(dir, 'cut.db');
    const collector = startPayops([
      'collect', '--amqp', user.url, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#',
      '--prefetch', String(2 * total + 1000), '--batch-size', '100000', '--flush-ms', '10000', '--json',
    ]);
    const out = collectOutput(collector);
    try {
      // Everything delivered, nothing committed: the batch is in flight.
      await waitFor(async () => (await queueCounts(t.queue)).unacked === total, 8_000, 'the whole backlog to be delivered', 200);
      expect(storedCount(db)).toBe(0);

      revokeBrokerUser(user.name);
      expect(closeConnectionsOf(user.name)).toBeGreaterThan(0);
      await waitFor(() => /batch committed but its channel died/.test(out.stderr()), 20_000, 'the in-flight batch to commit', 200, out.stderr);
      // Committed, but its acknowledgement never reached the broker: it holds every message.
      expect(storedCount(db)).toBe(total);
      expect((await queueCounts(t.queue)).messages).toBe(total);
      expect(out.stderr()).toMatch(/reconnecting/);

      grantBrokerUser(user.name);
      await waitFor(async () => (await queueCounts(t.queue)).messages === 0, 60_000, 'redelivery to be stored and acknowledged', 500, out.stderr);
    } finally {
      grantBrokerUser(user.name);
      collector.kill('SIGTERM');
      await out.exit;
    }
    expect(await out.exit, out.stderr()).toBe(0);
    const stats = lastJson((await runPayops(['stats', '--db', db, '--json'])).stdout);
    expect(stats).toMatchObject({ events: total, duplicates: total, redeliveredDuplicates: total });
    const stored = storedIdentities(db);
    expect({ total: stored.total, distinct: stored.distinct }).toEqual({ total, distinct: total });
    for (const e of events) if (!stored.ids.has(`${e.source}|${e.id}`)) throw new Error(`lost ${e.source}|${e.id}`);
    // Credentials never reach the log, even through broker errors.
    expect(out.stderr() + out.stdout()).not.toContain(user.password);
    for (const f of [db, `${db}-wal`]) if (fs.existsSync(f)) expect(fs.readFileSync(f).includes(user.password)).toBe(false);
  }, 120_000);
});
