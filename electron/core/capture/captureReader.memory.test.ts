import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import { openCaptureReader } from './captureReader';

// A capture far larger than what the reader may hold: it has to stream.
const TARGET_BYTES = 50 * 1024 * 1024;

describe('openCaptureReader memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'payops-capture-big-'));
  const path = join(dir, 'big.ndjson');
  let lines = 0;

  beforeAll(async () => {
    const out = createWriteStream(path);
    const gen = createTrafficGenerator({ seed: 77, scenario: 'normal', startMs: Date.UTC(2026, 10, 23), rate: 1000 });
    let bytes = 0;
    while (bytes < TARGET_BYTES) {
      let chunk = '';
      for (let i = 0; i < 1000; i++) chunk += JSON.stringify(gen.next()) + '\n';
      bytes += chunk.length;
      lines += 1000;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a ~50 MB capture with heap growth far below the file size', async () => {
    const size = statSync(path).size;
    expect(size).toBeGreaterThanOrEqual(TARGET_BYTES);
    // Measure what the reader retains, not garbage waiting for a collection: collect first.
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let firstRecordAtBytes = -1;
    const reader = openCaptureReader(path);
    for await (const record of reader) {
      if ('error' in record) throw new Error(`line ${record.line}: ${record.error}`);
      if (count === 0) firstRecordAtBytes = reader.bytesRead;
      if (++count % 2000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(count).toBe(lines);
    // The first line arrived after one read chunk, not after reading the file.
    expect(firstRecordAtBytes).toBeLessThanOrEqual(256 * 1024);
    // Nothing close to the file is retained while streaming it.
    expect(peak).toBeLessThan(size / 5);
  });
});
