// `payops replay CAPTURE --from ISO --to ISO` as an operator runs it (the built CLI:
// `npm run build:core` first): only the capture's events in the half-open slice are stored.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLines, KIT_START_MS, writeCapture } from '../../../test/support/replayTestKit';
import { lastJson, runPayops } from '../../../test/support/cli';
import { tempDir } from '../../../test/support/tempDir';

const dir = tempDir('payops-replay-slice-');
const iso = (ms: number) => new Date(ms).toISOString();

describe('payops replay --from/--to', () => {
  it('replays only the events of [from, to) of a capture, and says which slice', async () => {
    const file = writeCapture(path.join(dir, 'slice.ndjson.gz'), captureLines(120, 1, false), { gzip: true }); // 0..119 s
    const from = KIT_START_MS + 20_000;
    const to = KIT_START_MS + 50_000;
    const r = await runPayops(['replay', file, '--db', path.join(dir, 'slice.db'), '--from', iso(from), '--to', iso(to), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = lastJson<{ events: number; linesRead: number; from: string; to: string; slice: { from: string; to: string } }>(r.stdout);
    expect(summary).toMatchObject({ events: 30, linesRead: 120, from: iso(from), to: iso(to - 1000), slice: { from: iso(from), to: iso(to) } });
    const stats = lastJson<{ events: number; firstEventTime: string; lastEventTime: string }>((await runPayops(['stats', '--db', path.join(dir, 'slice.db'), '--json'])).stdout);
    expect(stats.events).toBe(30);
  }, 60_000);

  it('refuses an empty slice, and a slice of a stream replay (exit 1)', async () => {
    const file = writeCapture(path.join(dir, 'refuse.ndjson'), captureLines(5, 1, false));
    const empty = await runPayops(['replay', file, '--db', path.join(dir, 'refuse.db'), '--from', iso(KIT_START_MS + 5000), '--to', iso(KIT_START_MS)]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('is not before --to');
    const stream = await runPayops(['replay', '--from-stream', 'q', '--amqp', 'amqp://127.0.0.1:5672', '--db', path.join(dir, 'refuse2.db'), '--from', iso(KIT_START_MS)]);
    expect(stream.code).toBe(1);
    expect(stream.stderr).toContain('--from and --to slice a capture file');
    const bad = await runPayops(['replay', file, '--db', path.join(dir, 'refuse3.db'), '--from', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--from must be an ISO 8601 time');
  }, 60_000);
});
