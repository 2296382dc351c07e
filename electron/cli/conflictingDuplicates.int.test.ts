// Same (source, id), another body, through the real broker and a capture of both copies: the
// first stored copy stays, the other is quarantined naming source and id and counted as a
// conflicting duplicate; an identical copy is an ordinary duplicate. A replay of the capture
// the collector recorded gives the same figures.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology, type PublishItem } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { deleteQueues, publishToStream } from '../../test/support/metricsStreamKit';
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';

const dir = tempDir('payops-conflict-');
const t = uniqueTopology('conflict');
const stream = `t.conflictfollow.${randomUUID().slice(0, 8)}.metrics`;
afterAll(async () => {
  await deleteTopology(t);
  await deleteQueues([stream]);
});

const json = (e: { type: string }): PublishItem => ({ body: JSON.stringify(e), routingKey: e.type });

describe('a conflicting duplicate through collect and replay', () => {
  it('keeps the first copy, quarantines the other with source and id, counts it; the capture replays the same', async () => {
    await prepareQueue(t);
    const first = paymentEvent('payment.authorized', { id: `conflict-${t.queue}` }, { amount: 1200, currency: 'JPY' });
    const changed = { ...first, data: { ...first.data, amount: 120_000 } };
    const other = paymentEvent('payment.authorized', {}, { amount: 1234, currency: 'KWD' });
    await publishAll(t.exchange, [json(first), json(first), json(changed), json(other)]);

    const db = path.join(dir, 'collect.db');
    const capture = path.join(dir, 'both.ndjson');
    const run = await runPayops(['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--drain', '--capture', capture]);
    expect(run.code, run.stderr).toBe(0);
    // The end summary names them, as payops replay's does: not just one more quarantined message.
    expect(run.stdout).toMatch(/1 duplicate, 1 quarantined \(1 conflicting duplicate: same source and id, another body\)/);

    const expected = {
      events: 2,
      duplicates: 1,
      quarantined: 1,
      conflictingDuplicates: 1,
      authorizedAmountByCurrency: { JPY: 1200, KWD: 1234 },
    };
    const collected = lastJson((await runPayops(['stats', '--db', db, '--json'])).stdout);
    expect(collected).toMatchObject(expected);
    const text = (await runPayops(['stats', '--db', db])).stdout;
    expect(text).toMatch(/quarantined\s+1 \(1 conflicting duplicate:/);
    const read = new Database(db, { readonly: true });
    const [q] = read.prepare('SELECT reason, CAST(body AS TEXT) AS body FROM quarantine').all() as { reason: string; body: string }[];
    read.close();
    expect(q.reason).toContain(`"${first.source}"`);
    expect(q.reason).toContain(`"${first.id}"`);
    expect(JSON.parse(q.body)).toEqual(changed);

    const replayDb = path.join(dir, 'replay.db');
    const replay = await runPayops(['replay', capture, '--db', replayDb, '--speed', 'max', '--json']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(lastJson((await runPayops(['stats', '--db', replayDb, '--json'])).stdout)).toMatchObject(expected);
  }, 120_000);

  it('a follower shows the collector\'s conflicting duplicates (their own message of the metrics stream)', async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    await conn.close();
    const SEC = 1_796_000_000;
    const base = { v: 1, collector: 'collector-c', at: SEC * 1000, queueSamples: [], alerts: [] };
    await publishToStream(stream, [
      JSON.stringify({ ...base, seq: 1, rollups: [{ sec: SEC, dim: 'type', key: 'payment.authorized', count: 1, amount: 0 }], counters: { quarantined: 1 } }),
      JSON.stringify({ ...base, seq: 2, rollups: [], counters: { conflicting_duplicates: 1 } }),
    ]);
    const db = path.join(dir, 'follower.db');
    const follow = await runPayops(['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', db, '--drain', '--json']);
    expect(follow.code, follow.stderr).toBe(0);
    expect(lastJson((await runPayops(['stats', '--db', db, '--json'])).stdout)).toMatchObject({ events: 1, quarantined: 1, conflictingDuplicates: 1 });
  }, 60_000);
});
