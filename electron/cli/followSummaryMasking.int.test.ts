// `payops follow --json` printed its summary as stored: the counts by event type (a producer's
// type holding a card number, "note.4111111111111111", as the collector's rollups carry it), the
// collectors' names and the reason the last bad message was skipped (which quotes the message:
// 'unknown metrics message version "4111 1111 1111 1111"') went whole to stdout, where `payops
// stats`, `collect` and a report mask them. Now the summary is masked as the other listings are,
// --no-mask printing it as stored. Real broker (a stream queue), real SQLite, the built CLI
// (`npm run build:core` first).
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { createStream, deleteQueues, publishToStream } from '../../test/support/metricsStreamKit';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-follow-mask-');
const stream = `t.followmask.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

const SEC = 1_796_000_000;
const CARD = '4111111111111111';
const COLLECTOR = 'ops-alice@example.com';
const message = (seq: number) =>
  JSON.stringify({
    v: 1,
    collector: COLLECTOR,
    seq,
    at: SEC * 1000,
    rollups: [
      { sec: SEC + seq, dim: 'type', key: 'payment.authorized', count: 2, amount: 0 },
      { sec: SEC + seq, dim: 'type', key: `note.${CARD}`, count: 1, amount: 0 },
    ],
    counters: {},
    queueSamples: [],
    alerts: [],
  });

interface FollowSummary {
  applied: number;
  skipped: number;
  position: { lastSkip: string | null };
  sources: { collector: string }[];
  stats: { byType: Record<string, number> };
}

describe('payops follow --json summary', () => {
  it('masks what collectors wrote (event types, collector names, a skipped message quoted) unless --no-mask', async () => {
    await createStream(stream);
    await publishToStream(stream, [message(1), JSON.stringify({ v: '4111 1111 1111 1111', collector: COLLECTOR, seq: 2 })]);

    const args = (db: string) => ['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', path.join(dir, db), '--drain', '--json'];
    const masked = await runPayops(args('masked.db'));
    expect(masked.code, masked.stderr).toBe(0);
    const s = lastJson<FollowSummary>(masked.stdout);
    expect({ applied: s.applied, skipped: s.skipped }).toEqual({ applied: 1, skipped: 1 });
    expect(s.stats.byType).toEqual({ 'payment.authorized': 2, 'note.41**********1111': 1 });
    expect(s.sources.map((x) => x.collector)).toEqual(['***']);
    expect(s.position.lastSkip).toMatch(/unknown metrics message version "41\*+1111"/);
    expect(masked.stdout).not.toContain(CARD);
    expect(masked.stdout).not.toContain('4111 1111 1111 1111');
    expect(masked.stdout).not.toContain('alice@example.com');
    // Its log lines (the skipped message's warning) say no card number either.
    expect(masked.stderr).not.toContain('4111 1111 1111 1111');

    // --no-mask, as `payops stats` has it: what is stored.
    const plain = await runPayops([...args('plain.db'), '--no-mask']);
    expect(plain.code, plain.stderr).toBe(0);
    const p = lastJson<FollowSummary>(plain.stdout);
    expect(p.stats.byType).toEqual({ 'payment.authorized': 2, [`note.${CARD}`]: 1 });
    expect(p.sources.map((x) => x.collector)).toEqual([COLLECTOR]);
    expect(p.position.lastSkip).toContain('"4111 1111 1111 1111"');
  }, 60_000);
});
