// Issue 16's "nothing lost" for followers: a collector publishes the metrics stream while a
// follower is SIGKILLed three times at random moments; in the end the follower's database
// reports the same figures and the same alert history as the collector's.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishResilient, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { declineSpikeTraffic, deleteQueues, writeFastDeclineRules } from '../../test/support/metricsStreamKit';
import { tempDir } from '../../test/support/tempDir';
import { waitFor } from '../../test/support/waitFor';
import { mulberry32 } from '../core/sim/prng';
import { openStore } from '../core/store/store';

const dir = tempDir('payops-follow-kill-');
const t = uniqueTopology('follow');
const stream = `${t.queue}.metrics`;
afterAll(async () => {
  await deleteTopology(t);
  await deleteQueues([stream]);
});

function storedEvents(db: string): number {
  try {
    const store = openStore(db, { readonly: true });
    try {
      return store.stats().events;
    } finally {
      store.close();
    }
  } catch {
    return 0;
  }
}

describe('a follower killed at random moments', () => {
  it('ends with the same stats and alert history as the collector', async () => {
    const seed = Number(process.env.PAYOPS_KILL_SEED ?? Date.now() % 100000);
    const random = mulberry32(seed);
    const total = 12_000;
    const rules = writeFastDeclineRules(dir);
    const collectorDb = path.join(dir, 'collector.db');
    const followerDb = path.join(dir, 'follower.db');
    await prepareQueue(t);
    const collector = startPayops(['collect', '--amqp', AMQP_URL, '--db', collectorDb, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--rules', rules, '--publish-metrics', stream]);
    let collectorLog = '';
    collector.stderr!.on('data', (d: Buffer) => (collectorLog += d.toString()));
    await waitFor(() => collectorLog.includes('collecting from'), 'the collector to start', 20_000);

    const publishing = publishResilient(t.exchange, declineSpikeTraffic(total, Date.now(), 40), 500);
    const followArgs = ['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', followerDb];
    for (let kill = 0; kill < 3; kill++) {
      const follower = startPayops(followArgs);
      let log = '';
      follower.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await waitFor(() => log.includes('following metrics stream'), `follower ${kill + 1} to follow`, 20_000);
      await new Promise((r) => setTimeout(r, 500 + random() * 5000));
      follower.kill('SIGKILL');
      await new Promise((r) => follower.once('exit', r));
    }
    await publishing;
    await waitFor(() => storedEvents(collectorDb) === total, 'the collector to store every event', 60_000, 200);
    collector.kill('SIGTERM');
    await new Promise((r) => collector.once('exit', r));
    expect(collectorLog).not.toContain('not yet confirmed');

    const followed = await runPayops([...followArgs, '--drain', '--json'], {}, 60_000);
    expect(followed.code, followed.stderr).toBe(0);
    const summary = lastJson<{ skipped: number; sources: unknown[] }>(followed.stdout);
    expect(summary.skipped).toBe(0);
    expect(summary.sources).toHaveLength(1);

    const collectorStats = lastJson((await runPayops(['stats', '--db', collectorDb, '--json'])).stdout);
    const followerStats = lastJson((await runPayops(['stats', '--db', followerDb, '--json'])).stdout);
    const figures = (s: Record<string, unknown>) => ({ events: s.events, byType: s.byType, authorizedAmountByCurrency: s.authorizedAmountByCurrency, quarantined: s.quarantined });
    expect(collectorStats.events).toBe(total);
    expect({ seed, ...figures(followerStats) }).toEqual({ seed, ...figures(collectorStats) });

    const collectorAlerts = lastJson<{ firedAt: string | null }[]>((await runPayops(['alerts', '--db', collectorDb, '--json', '--all'])).stdout);
    const followerAlerts = lastJson<unknown[]>((await runPayops(['alerts', '--db', followerDb, '--json', '--all'])).stdout);
    // The spike fired the rule on the collector: the histories compared are not empty.
    expect(collectorAlerts.some((a) => a.firedAt !== null)).toBe(true);
    expect(followerAlerts).toEqual(collectorAlerts);
  }, 180_000);
});
