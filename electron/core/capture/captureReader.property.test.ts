import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { CaptureReadError } from './captureErrors';
import { formatRecordedLine, parseCaptureLine } from './captureLine';
import { openCaptureReader } from './captureReader';

const dir = mkdtempSync(join(tmpdir(), 'payops-capture-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Lines that look like captures often enough to reach the deeper branches.
const lineArb = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify({ v: 1, arrivalMs: 1, event: v })),
  fc.record({ v: fc.jsonValue(), arrivalMs: fc.jsonValue(), headers: fc.jsonValue(), bodyBase64: fc.string() }).map((o) => JSON.stringify(o)),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
);

let n = 0;

describe('capture reader properties', () => {
  it('never crashes on arbitrary lines: records with sane line numbers, or a CaptureReadError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 30 }), fc.boolean(), fc.boolean(), async (lines, gz, trailingNewline) => {
        const text = lines.join('\n') + (trailingNewline ? '\n' : '');
        const path = join(dir, `p${++n}.ndjson${gz ? '.gz' : ''}`);
        writeFileSync(path, gz ? gzipSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8'));
        const physicalLines = text.split('\n').length;
        let last = 0;
        try {
          for await (const record of openCaptureReader(path)) {
            expect(record.line).toBeGreaterThan(last);
            expect(record.line).toBeLessThanOrEqual(physicalLines);
            last = record.line;
            if ('error' in record) expect(typeof record.error).toBe('string');
            else expect(record.raw.body).toBeInstanceOf(Uint8Array);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(CaptureReadError);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never throws from parseCaptureLine on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 1e6 }), (bytes, line) => {
        const record = parseCaptureLine(bytes, line);
        if (record) expect(record.line).toBe(line);
      }),
      { numRuns: 2000 },
    );
  });

  const headerValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b)));
  const rawArb: fc.Arbitrary<RawMessage> = fc.record({
    body: fc.oneof(
      fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
      fc.json().map((t) => Buffer.from(t)),
      fc.dictionary(fc.string(), fc.jsonValue()).map((o) => Buffer.from(JSON.stringify(o))),
    ),
    headers: fc.option(fc.dictionary(fc.string(), fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })))),
    contentType: fc.option(fc.string()),
    routingKey: fc.option(fc.string()),
    arrivalMs: fc.integer({ min: 0, max: 2 ** 45 }),
  });

  it('round-trips any message through a recorded line unchanged', () => {
    fc.assert(
      fc.property(rawArb, fc.boolean(), (raw, quarantined) => {
        const line = formatRecordedLine(raw, quarantined ? { ok: false, reason: 'x' } : undefined);
        expect(line).not.toContain('\n');
        const record = parseCaptureLine(Buffer.from(line), 3);
        if (!record || 'error' in record) throw new Error(`did not read back: ${JSON.stringify(record)}`);
        expect(Buffer.from(record.raw.body).equals(Buffer.from(raw.body))).toBe(true);
        expect(record.raw.headers).toEqual(raw.headers);
        expect(record.raw.contentType).toBe(raw.contentType);
        expect(record.raw.routingKey).toBe(raw.routingKey);
        expect(record.raw.arrivalMs).toBe(raw.arrivalMs);
      }),
      { numRuns: 1000 },
    );
  });
});
