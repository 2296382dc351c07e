// Bad input on the metrics stream: a message of an unknown version or malformed is skipped
// with a counted, visible warning; the follower goes on applying what follows, and a message
// read twice is applied once.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { createStream, deleteQueues, publishToStream } from '../../test/support/metricsStreamKit';
import { tempDir } from '../../test/support/tempDir';
import { randomUUID } from 'node:crypto';

const dir = tempDir('payops-follow-bad-');
const stream = `t.followbad.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

const SEC = 1_796_000_000;
function message(seq: number, authorized: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    collector: 'collector-a',
    seq,
    at: SEC * 1000,
    rollups: [
      { sec: SEC + seq, dim: 'type', key: 'payment.authorized', count: authorized, amount: 0 },
      { sec: SEC + seq, dim: 'authorized', key: 'EUR', count: authorized, amount: authorized * 100 },
    ],
    counters: {},
    queueSamples: [],
    alerts: [],
    ...extra,
  });
}

interface FollowSummary {
  applied: number;
  duplicates: number;
  skipped: number;
  position: { skipped: number; lastSkip: string | null };
  stats: { byType: Record<string, number>; authorizedAmountByCurrency: Record<string, number> };
}

describe('a follower given bad input', () => {
  it('skips unknown versions and malformed messages with counted warnings and keeps applying', async () => {
    await createStream(stream);
    await publishToStream(stream, [
      message(1, 3),
      'not json at all',
      JSON.stringify({ v: 2, collector: 'collector-a', seq: 2 }),
      message(2, 5, { rollups: [{ sec: SEC, dim: 'type', key: 'payment.authorized', count: -4, amount: 0 }] }),
      message(2, 5),
      message(2, 5),
    ]);
    const db = path.join(dir, 'follower.db');
    const args = ['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', db, '--drain', '--json'];
    const first = await runPayops(args);
    expect(first.code, first.stderr).toBe(0);
    const s1 = lastJson<FollowSummary>(first.stdout);
    expect({ applied: s1.applied, duplicates: s1.duplicates, skipped: s1.skipped, stored: s1.position.skipped }).toEqual({ applied: 2, duplicates: 1, skipped: 3, stored: 3 });
    expect(first.stderr).toContain('skipped metrics message at offset 1');
    expect(first.stderr).toContain('not JSON');
    expect(first.stderr).toContain('unknown metrics message version 2');
    expect(first.stderr).toContain('malformed metrics message: rollups.0.count');
    expect(s1.stats.byType).toEqual({ 'payment.authorized': 8 });
    expect(s1.stats.authorizedAmountByCurrency).toEqual({ EUR: 800 });

    // A second run resumes from the stored offset: only the new message is read.
    await publishToStream(stream, [message(3, 1)]);
    const second = await runPayops(args);
    expect(second.code, second.stderr).toBe(0);
    const s2 = lastJson<FollowSummary>(second.stdout);
    expect({ applied: s2.applied, duplicates: s2.duplicates, skipped: s2.skipped }).toEqual({ applied: 1, duplicates: 0, skipped: 0 });
    expect(s2.stats.byType).toEqual({ 'payment.authorized': 9 });
    expect(s2.position.skipped).toBe(3);
  });
});
