// The console's recording (capture.start / capture.status): a recording that stops on its own
// (its size limit) still says why, how much it wrote and where, until the next one starts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import { tempDir } from '../../../test/support/tempDir';
import { CaptureRecorder } from './captureRecorder';

const dir = tempDir('payops-capture-recorder-');
// The recorder only reads whether the message was refused.
const ok: DecodeResult = { ok: false, reason: 'not read by the recorder' };
const msg = (id: string): RawMessage => ({
  body: Buffer.from(JSON.stringify({ specversion: '1.0', id, source: 'test', type: 'payment.authorized' })),
  arrivalMs: 1,
  routingKey: 'payment.authorized',
  headers: null,
  contentType: null,
});

describe('capture recorder: a recording that stopped itself', () => {
  it('keeps saying it reached its size limit, with the lines and bytes in the file, after more messages arrive', async () => {
    const file = join(dir, 'limited.ndjson');
    const logs: string[] = [];
    const recorder = new CaptureRecorder((line) => logs.push(line));
    recorder.start({ file, maxBytes: 1000 });
    // Each recorded line is about 180 bytes: the sixth does not fit.
    for (let i = 0; i < 20; i++) {
      recorder.tap(msg(`m-${i}`), ok);
      if (i % 3 === 2) recorder.flush();
    }
    recorder.flush();
    const inFile = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(inFile.length).toBeGreaterThan(1);
    expect(inFile.length).toBeLessThan(20);
    const status = recorder.status();
    expect(status).toEqual({ recording: false, file, lines: inFile.length, bytes: readFileSync(file).length, stoppedBecause: 'maxBytes' });
    expect(logs.join('\n')).toMatch(/capture stopped: the size limit of the recording was reached; (1 line|\d+ lines) in /);
    // The next recording starts afresh; an operator's stop says "closed".
    const next = join(dir, 'next.ndjson');
    expect(recorder.start({ file: next })).toMatchObject({ recording: true, file: next, lines: 0, stoppedBecause: null });
    expect(await recorder.stop()).toMatchObject({ recording: false, file: next, stoppedBecause: 'closed' });
    expect(recorder.status()).toEqual({ recording: false, file: null, lines: 0, bytes: 0 });
  });
});
