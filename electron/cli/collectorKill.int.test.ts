// The collector's half of "nothing lost" on the metrics stream: a collector SIGKILLed while it
// publishes leaves what it committed but had not published (or had published without a
// confirm) in its outbox, and publishes it at the next start; a follower counts a message
// published twice once. The follower ends with the collector's figures.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent, riskEvent } from '../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishResilient, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { deleteQueues } from '../../test/support/metricsStreamKit';
import { tempDir } from '../../test/support/tempDir';
import { waitFor } from '../../test/support/waitFor';
import { mulberry32 } from '../core/sim/prng';

const dir = tempDir('payops-collector-kill-');
const t = uniqueTopology('ckill');
const stream = `${t.queue}.metrics`;
afterAll(async () => {
  await deleteTopology(t);
  await deleteQueues([stream]);
});

describe('a collector killed while it publishes the metrics stream', () => {
  it('loses nothing from the stream: the follower ends with the collector\'s figures', async () => {
    const seed = Number(process.env.PAYOPS_KILL_SEED ?? Date.now() % 100000);
    const random = mulberry32(seed);
    const total = 8000;
    const events = Array.from({ length: total }, (_, i) => (i % 4 === 3 ? riskEvent('risk.scored') : paymentEvent(i % 5 === 0 ? 'payment.declined' : 'payment.authorized')));
    await prepareQueue(t);
    const collectorDb = path.join(dir, 'collector.db');
    const followerDb = path.join(dir, 'follower.db');
    const collectArgs = ['collect', '--amqp', AMQP_URL, '--db', collectorDb, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--publish-metrics', stream];
    const publishing = publishResilient(t.exchange, events.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })), 2000);
    let done = false;
    void publishing.then(() => (done = true));
    let kills = 0;
    while (!done || kills < 2) {
      const child = startPayops(collectArgs);
      let log = '';
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await waitFor(() => log.includes('collecting from'), 'the collector to start', 20_000);
      await new Promise((r) => setTimeout(r, 300 + random() * 1200));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      kills += 1;
    }
    await publishing;
    const final = await runPayops([...collectArgs, '--drain', '--json'], {}, 120_000);
    expect(final.code, final.stderr).toBe(0);
    expect(lastJson<{ events: number }>(final.stdout).events).toBe(total);

    const followed = await runPayops(['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', followerDb, '--drain', '--json'], {}, 60_000);
    expect(followed.code, followed.stderr).toBe(0);
    const collectorStats = lastJson((await runPayops(['stats', '--db', collectorDb, '--json'])).stdout);
    const followerStats = lastJson((await runPayops(['stats', '--db', followerDb, '--json'])).stdout);
    const figures = (s: Record<string, unknown>) => ({ events: s.events, byType: s.byType, authorizedAmountByCurrency: s.authorizedAmountByCurrency, duplicates: s.duplicates });
    expect({ seed, kills, ...figures(followerStats) }).toEqual({ seed, kills, ...figures(collectorStats) });
  }, 180_000);
});
