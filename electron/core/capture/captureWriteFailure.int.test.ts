// A capture whose disk fills up (here: a file size limit, `ulimit -f`, on a child process that
// runs the built writer, `npm run build:core` first). The batch that could not be written is cut
// back out of the file: the capture ends at its last whole batch, replays without a half line or
// a cut gzip member, can be appended to, and the writer's counts are what the file holds.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { openCaptureReader } from './captureReader';
import { checkCaptureTarget } from './captureWriter';

const dir = tempDir('payops-capture-full-');
const BUILT_WRITER = resolve(__dirname, '../../../dist/electron/core/capture/captureWriter.js');

/** Records batches of 50 padded messages under a file size limit of `limitKiB`; the writer's summary. */
function recordUnderSizeLimit(file: string, limitKiB: number): { lines: number; bytes: number; stoppedBecause: string | null; error: string | null; refusedAt: number } {
  const script = `
    const { createCaptureWriter } = require(${JSON.stringify(BUILT_WRITER)});
    const w = createCaptureWriter(${JSON.stringify(file)});
    let refusedAt = -1;
    for (let batch = 0; batch < 100 && refusedAt < 0; batch++) {
      for (let i = 0; i < 50; i++) {
        const event = { specversion: '1.0', id: 'e-' + batch + '-' + i, source: 'test', type: 'payment.authorized', data: { pad: 'x'.repeat(200) } };
        if (!w.write({ body: Buffer.from(JSON.stringify(event)), arrivalMs: 1, routingKey: null, headers: null, contentType: null })) refusedAt = batch;
      }
      w.flush();
      if (w.error) refusedAt = batch;
    }
    console.log(JSON.stringify({ lines: w.linesWritten, bytes: w.bytesWritten, stoppedBecause: w.stoppedBecause, error: w.error ? w.error.message : null, refusedAt }));
  `;
  const r = spawnSync('bash', ['-c', `ulimit -f ${limitKiB} && exec "$0" -e "$1"`, process.execPath, script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`writer child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as ReturnType<typeof recordUnderSizeLimit>;
}

async function readBack(file: string): Promise<{ events: number; bad: number }> {
  let events = 0;
  let bad = 0;
  for await (const record of openCaptureReader(file)) {
    if ('error' in record) bad++;
    else events++;
  }
  return { events, bad };
}

describe('capture writer: the disk fills up', () => {
  it.skipIf(process.platform === 'win32')('plain text: the batch that did not fit is cut back out; the file ends at a whole line and holds what the writer counts', async () => {
    const file = join(dir, 'full.ndjson');
    const summary = recordUnderSizeLimit(file, 64);
    expect(summary.stoppedBecause).toBe('error');
    expect(summary.error).toMatch(/capture write failed \(EFBIG\)/);
    expect(summary.refusedAt).toBeGreaterThan(1);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(statSync(file).size).toBe(summary.bytes);
    expect(await readBack(file)).toEqual({ events: summary.lines, bad: 0 });
    expect(summary.lines % 50).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('gzip: no cut member is left, so the capture reads whole and a restarted collector may append to it', async () => {
    // Random-looking padding would not compress; this text does, so the limit is lower.
    const file = join(dir, 'full.ndjson.gz');
    const summary = recordUnderSizeLimit(file, 8);
    expect(summary.stoppedBecause).toBe('error');
    expect(summary.refusedAt).toBeGreaterThan(1);
    expect(await readBack(file)).toEqual({ events: summary.lines, bad: 0 });
    await expect(checkCaptureTarget(file, true)).resolves.toMatchObject({ appending: true });
  });
});
