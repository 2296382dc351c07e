import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishResilient, uniqueTopology } from '../../test/support/broker';
import { runPayops, startPayops } from '../../test/support/cli';
import { paymentEvent, riskEvent } from '../../bench/events';
import { storedCount } from '../../test/support/faultKit';
import { storedIdentities } from '../../test/support/storedIds';
import { waitFor } from '../../test/support/waitFor';
import { tempDir } from '../../test/support/tempDir';
import { mulberry32 } from '../core/sim/prng';

const dir = tempDir();
const t = uniqueTopology('kill');
afterAll(() => deleteTopology(t));

describe('nothing lost when the collector is killed', () => {
  it('stores every published event exactly once across repeated SIGKILLs', async () => {
    const seed = Number(process.env.PAYOPS_KILL_SEED ?? Date.now() % 100000);
    const random = mulberry32(seed);
    const total = process.env.PAYOPS_LONG ? 60_000 : 12_000;
    const events = Array.from({ length: total }, (_, i) => (i % 4 === 3 ? riskEvent('risk.scored') : paymentEvent('payment.authorized')));
    const expected = new Set(events.map((e) => `${e.source}|${e.id}`));
    await prepareQueue(t);
    const db = path.join(dir, 'kill.db');
    const args = ['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#'];

    const publishing = publishResilient(t.exchange, events.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })), 3000);
    let kills = 0;
    let publishDone = false;
    void publishing.then(() => (publishDone = true));
    while (!publishDone || kills < 4) {
      const child = startPayops(args);
      // Kill only once the collector is consuming, at a random moment after that.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        child.stderr!.on('data', (d: Buffer) => {
          if (d.toString().includes('collecting from')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      // The first kill waits for a first commit (its batch's timer can outlast a kill 0.1-1 s after
      // the collector says it consumes: every kill then landed before anything was stored, and
      // the test proved nothing of a kill mid-ingest); the later ones land at any moment.
      if (kills === 0) await waitFor(() => storedCount(db) > 0 || child.exitCode !== null, 'a first batch stored before the first kill', 30_000);
      await new Promise((r) => setTimeout(r, 100 + random() * 900));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      kills += 1;
    }
    await publishing;
    // The kills landed while ingest was under way, not only before the first event.
    expect(storedIdentities(db).total).toBeGreaterThan(0);
    const final = await runPayops([...args, '--drain', '--json'], {}, 120_000);
    expect(final.code, final.stderr).toBe(0);

    const stored = storedIdentities(db);
    expect({ seed, kills, total: stored.total, distinct: stored.distinct }).toEqual({ seed, kills, total, distinct: total });
    for (const id of expected) if (!stored.ids.has(id)) throw new Error(`lost ${id} (seed ${seed})`);
    // The broker redelivers what a killed collector had not acknowledged: the same bodies, ordinary
    // duplicates, never conflicting ones (nothing quarantined).
    const stats = JSON.parse((await runPayops(['stats', '--db', db, '--json'])).stdout) as Record<string, number>;
    expect({ quarantined: stats.quarantined, conflictingDuplicates: stats.conflictingDuplicates }).toEqual({ quarantined: 0, conflictingDuplicates: 0 });
  }, 180_000);
});
