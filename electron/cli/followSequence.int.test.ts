// A follower against forged or rewound collector sequences on a real stream, and `follow`'s
// exit codes when the broker cannot be used (as collect's --connect-retries).
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { createStream, deleteQueues, publishToStream } from '../../test/support/metricsStreamKit';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-follow-seq-');
const stream = `t.followseq.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

const SEC = Math.floor(Date.now() / 1000) - 3600;
function message(seq: number, authorized: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    collector: 'collector-a',
    seq,
    at: SEC * 1000,
    incarnation: 'p1',
    rollups: [{ sec: SEC + seq, dim: 'type', key: 'payment.authorized', count: authorized, amount: 0 }],
    ...extra,
  });
}

interface Summary {
  applied: number;
  duplicates: number;
  skipped: number;
  rewoundDropped: number;
  stats: { byType: Record<string, number>; firstEventTime: string | null; lastEventTime: string | null };
}

describe('a follower and collector sequences', () => {
  it('skips a forged far-ahead seq and keeps applying the collector; says when a restored collector goes back', async () => {
    await createStream(stream);
    await publishToStream(stream, [message(1, 1), message(2, 2), JSON.stringify({ v: 1, collector: 'collector-a', seq: 999_999_999, at: Date.now(), rollups: [] }), message(3, 4)]);
    const db = path.join(dir, 'follower.db');
    const args = ['follow', '--amqp', AMQP_URL, '--metrics-stream', stream, '--db', db, '--drain', '--json'];
    const first = await runPayops(args);
    expect(first.code, first.stderr).toBe(0);
    const s1 = lastJson<Summary>(first.stdout);
    expect({ applied: s1.applied, skipped: s1.skipped, duplicates: s1.duplicates }).toEqual({ applied: 3, skipped: 1, duplicates: 0 });
    expect(first.stderr).toMatch(/skipped metrics message at offset 2 .*sequence would jump from 2 to 999999999, but the stream advanced only 1 offset/);
    expect(s1.stats.byType).toEqual({ 'payment.authorized': 7 });
    // A follower holds no raw events: its time range is the one of the figures it applied (to the second).
    expect({ first: s1.stats.firstEventTime, last: s1.stats.lastEventTime }).toEqual({
      first: new Date((SEC + 1) * 1000).toISOString(),
      last: new Date((SEC + 3) * 1000).toISOString(),
    });

    // Resumed: the bound holds from the stored offset; a retention-like gap (seq 5 after 3, two offsets on) is applied.
    await publishToStream(stream, [message(4, 8), JSON.stringify({ v: 1, collector: 'collector-a', seq: 50, at: Date.now(), rollups: [] }), message(5, 16)]);
    const second = await runPayops(args);
    const s2 = lastJson<Summary>(second.stdout);
    expect({ applied: s2.applied, skipped: s2.skipped }).toEqual({ applied: 2, skipped: 1 });
    expect(s2.stats.byType).toEqual({ 'payment.authorized': 31 });

    // The collector's database restored from a backup: a new process numbers from 3 again.
    await publishToStream(stream, [message(6, 1), message(3, 100, { incarnation: 'p2' }), message(4, 100, { incarnation: 'p2' })]);
    const third = await runPayops(args);
    const s3 = lastJson<Summary>(third.stdout);
    expect({ applied: s3.applied, duplicates: s3.duplicates, rewoundDropped: s3.rewoundDropped }).toEqual({ applied: 1, duplicates: 2, rewoundDropped: 2 });
    const warnings = third.stderr.split('\n').filter((l) => l.includes('went back'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/collector collector-a's sequence went back from 6 to 3 at offset \d+ \(a collector process not seen before: p2\).*restored from a backup/);
  }, 60_000);

  it('follow exits 2 when the broker cannot be reached within --connect-retries, 5 when the login is refused', async () => {
    const db = path.join(dir, 'unreachable.db');
    const started = Date.now();
    const unreachable = await runPayops(['follow', '--amqp', 'amqp://guest:guest@127.0.0.1:5999', '--metrics-stream', stream, '--db', db, '--for', '5', '--connect-retries', '2'], {}, 30_000);
    expect(unreachable.code, unreachable.stderr).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach broker amqp:\/\/guest:\*\*\*@127\.0\.0\.1:5999 after 3 attempt/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const refused = await runPayops(['follow', '--amqp', AMQP_URL.replace(/\/\/([^:]+):[^@]+@/, '//$1:wrong-password@'), '--metrics-stream', stream, '--db', db, '--drain'], {}, 30_000);
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).toContain('refused the login');
  }, 60_000);
});
