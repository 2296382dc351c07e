// A sliced replay places a line without an event time by the newest event time before it, of
// every line, in the slice or not. A backward seek re-reads from a checkpoint, which kept only
// the watermark of the lines in the slice: a line dated after the slice before the checkpoint
// was forgotten, and an untimed line after it, left out on the first pass, was stored after the
// seek. The same capture must give the same lines, seek or no seek. Real files, no engine.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineInput } from '../ingest/ingestPipeline';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { ReplaySource } from './replaySource';

const dir = tempDir('payops-slice-checkpoint-');
const T0 = Date.parse('2026-03-01T10:00:00Z');
const timed = (id: string, t: number) =>
  JSON.stringify({ specversion: '1.0', id, source: 'test', type: 'payment.authorized', time: new Date(t).toISOString(), data: { paymentId: `p-${id}`, merchantId: 'm1', amount: 100, currency: 'EUR', country: 'DE' } });
// An unknown type without `time`: no event time, placed by the lines before it.
const untimed = (id: string) => JSON.stringify({ specversion: '1.0', id, source: 'test', type: 'com.example.note' });

const lines = [
  timed('a', T0 + 10_000),
  timed('late-out', T0 + 500_000), // after the slice: moves the newest time past `to`
  timed('b', T0 + 20_000),
  timed('c', T0 + 30_000),
  timed('d', T0 + 40_000),
  untimed('u'), // after a line dated past the slice: out
  timed('e', T0 + 50_000),
];

function ids(pushed: PipelineInput[]): string[] {
  return pushed.map((p) => (p.decoded && p.decoded.ok ? p.decoded.event.id : '?'));
}

async function replay(withSeekBack: boolean): Promise<string[]> {
  const file = path.join(dir, `slice-${withSeekBack}.ndjson`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const source = new ReplaySource({ file, speed: 'max', checkpointEvery: 2, fromMs: T0, toMs: T0 + 100_000 });
  const pushed: PipelineInput[] = [];
  // Held (backpressure) once c is pushed, so the seek comes before d and u are read.
  let blocked = withSeekBack;
  source.start((input) => pushed.push(input), () => blocked && pushed.length >= 3);
  if (withSeekBack) {
    await waitFor(() => pushed.length === 3 && source.status().line === 5, 'the replay held at line 5');
    source.seek(T0 + 25_000);
    blocked = false;
  }
  await source.finished;
  return ids(pushed);
}

describe('a sliced replay seeking back to a checkpoint', () => {
  it('places an untimed line as the first pass did', async () => {
    const straight = await replay(false);
    expect(straight).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await replay(true)).toEqual(straight);
  });
});
