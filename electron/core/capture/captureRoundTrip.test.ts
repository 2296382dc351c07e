import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import { CaptureWriteError } from './captureErrors';
import type { CaptureRecord } from './captureLine';
import { openCaptureReader } from './captureReader';
import { createCaptureWriter, type CaptureStopReason } from './captureWriter';
import { waitFor } from '../../../test/support/waitFor';

const dir = mkdtempSync(join(tmpdir(), 'payops-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string): Promise<CaptureRecord[]> {
  const out: CaptureRecord[] = [];
  for await (const record of openCaptureReader(path)) out.push(record);
  return out;
}

function raws(records: CaptureRecord[]): RawMessage[] {
  return records.map((r) => {
    if ('error' in r) throw new Error(`line ${r.line}: ${r.error}`);
    return r.raw;
  });
}

function sampleEvents(count: number) {
  const gen = createTrafficGenerator({ seed: 3, scenario: 'normal', startMs: Date.UTC(2026, 10, 23), rate: 50 });
  return Array.from({ length: count }, () => gen.next());
}

function expectSameRaw(actual: RawMessage, expected: RawMessage): void {
  expect(Buffer.from(actual.body).equals(Buffer.from(expected.body))).toBe(true);
  expect(actual.headers ?? null).toEqual(expected.headers ?? null);
  expect(actual.contentType ?? null).toBe(expected.contentType ?? null);
  expect(actual.routingKey ?? null).toBe(expected.routingKey ?? null);
  expect(actual.arrivalMs).toBe(expected.arrivalMs);
}

// Messages as the wire gives them, including those the console quarantines.
const WIRE_MESSAGES: { raw: RawMessage; decodedOk: boolean }[] = (() => {
  const [a, b, c] = sampleEvents(3);
  return [
    {
      raw: { body: Buffer.from(JSON.stringify(a)), headers: { 'x-retry': 2, trace: 'abc' }, contentType: 'application/cloudevents+json', routingKey: a.type, arrivalMs: 1_790_000_000_123 },
      decodedOk: true,
    },
    {
      // Same event with other spacing: its exact bytes must survive too.
      raw: { body: Buffer.from(JSON.stringify(b, null, 2)), headers: null, contentType: 'application/json', routingKey: b.type, arrivalMs: 1_790_000_000_200 },
      decodedOk: true,
    },
    {
      // Binary mode: attributes in headers, some as bytes.
      raw: {
        body: Buffer.from(JSON.stringify(c.data)),
        headers: { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': Buffer.from('id-1'), 'cloudEvents:source': 'psp/x', 'cloudEvents:type': c.type, 'cloudEvents:time': c.time, nested: { list: [1, Buffer.from([0, 255])] } },
        contentType: 'application/json',
        routingKey: c.type,
        arrivalMs: 1_790_000_000_300,
      },
      decodedOk: true,
    },
    { raw: { body: Buffer.from([0xff, 0xfe, 0x00, 0x41]), headers: {}, contentType: null, routingKey: 'payment.authorized', arrivalMs: 5 }, decodedOk: false },
    { raw: { body: Buffer.from('not json at all\nwith a newline'), routingKey: null, arrivalMs: 6 }, decodedOk: false },
    { raw: { body: Buffer.alloc(0), arrivalMs: 7 }, decodedOk: false },
  ];
})();

describe('capture round trip', () => {
  for (const ext of ['ndjson', 'ndjson.gz']) {
    it(`reads plain CloudEvent lines (.${ext}) as their exact bytes, timed by the event time`, async () => {
      const events = sampleEvents(500);
      const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
      const path = join(dir, `plain.${ext}`);
      writeFileSync(path, ext.endsWith('.gz') ? gzipSync(text) : text);
      const records = await readAll(path);
      expect(records.map((r) => r.line)).toEqual(events.map((_, i) => i + 1));
      raws(records).forEach((raw, i) => {
        expect(Buffer.from(raw.body).toString()).toBe(JSON.stringify(events[i]));
        expect(raw.arrivalMs).toBe(Date.parse(events[i].time));
        expect(decodeMessage(raw).ok).toBe(true);
      });
    });

    it(`writes and reads back recorded lines (.${ext}) with identical bytes and headers`, async () => {
      const path = join(dir, `recorded.${ext}`);
      const writer = createCaptureWriter(path);
      for (const { raw, decodedOk } of WIRE_MESSAGES) {
        const decoded = decodeMessage(raw);
        expect(decoded.ok).toBe(decodedOk);
        expect(writer.write(raw, decoded)).toBe(true);
      }
      const summary = await writer.close();
      expect(summary).toMatchObject({ linesWritten: WIRE_MESSAGES.length, stoppedBecause: 'closed' });
      if (ext.endsWith('.gz')) expect(readFileSync(path)[0]).toBe(0x1f);
      const read = raws(await readAll(path));
      expect(read).toHaveLength(WIRE_MESSAGES.length);
      read.forEach((raw, i) => expectSameRaw(raw, WIRE_MESSAGES[i].raw));
      // Decoding the replayed message gives the same verdict as on the wire.
      read.forEach((raw, i) => expect(decodeMessage(raw).ok).toBe(WIRE_MESSAGES[i].decodedOk));
    });
  }

  it('re-records plain lines into the recorded form without changing them', async () => {
    const plainPath = join(dir, 'replain.ndjson');
    writeFileSync(plainPath, sampleEvents(50).map((e) => JSON.stringify(e)).join('\n'));
    const first = raws(await readAll(plainPath));
    const recordedPath = join(dir, 'replain-recorded.ndjson.gz');
    const writer = createCaptureWriter(recordedPath);
    for (const raw of first) writer.write(raw);
    await writer.close();
    const second = raws(await readAll(recordedPath));
    expect(second).toHaveLength(first.length);
    second.forEach((raw, i) => expectSameRaw(raw, first[i]));
  });

  it('keeps quarantined messages as base64 with their reason, and canonical events as objects', async () => {
    const path = join(dir, 'forms.ndjson');
    const writer = createCaptureWriter(path);
    writer.write(WIRE_MESSAGES[0].raw, { ok: true });
    writer.write(WIRE_MESSAGES[3].raw, { ok: false, reason: 'body is not valid UTF-8' });
    await writer.close();
    const [canonical, quarantined] = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(canonical.event.specversion).toBe('1.0');
    expect(canonical.bodyBase64).toBeUndefined();
    expect(quarantined.bodyBase64).toBe(Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'));
    expect(quarantined.reason).toBe('body is not valid UTF-8');
  });

  it('stops by itself at maxBytes and the file stays readable', async () => {
    const path = join(dir, 'limited.ndjson.gz');
    const stops: CaptureStopReason[] = [];
    const writer = createCaptureWriter(path, { maxBytes: 20_000, onStop: (r) => stops.push(r) });
    let accepted = 0;
    for (const e of sampleEvents(200)) {
      if (writer.write({ body: Buffer.from(JSON.stringify(e)), routingKey: e.type, arrivalMs: 1 })) accepted++;
    }
    expect(writer.stoppedBecause).toBe('maxBytes');
    expect(stops).toEqual(['maxBytes']);
    expect(accepted).toBeGreaterThan(10);
    expect(accepted).toBeLessThan(200);
    expect(writer.bytesWritten).toBeLessThanOrEqual(20_000);
    const summary = await writer.close();
    expect(summary.stoppedBecause).toBe('maxBytes');
    expect(raws(await readAll(path))).toHaveLength(accepted);
  });

  it('stops by itself after maxDurationMs even when nothing is written', async () => {
    const path = join(dir, 'timed.ndjson');
    let stopped: CaptureStopReason | null = null;
    const writer = createCaptureWriter(path, { maxDurationMs: 50, onStop: (r) => (stopped = r) });
    expect(writer.write({ body: Buffer.from('{}'), arrivalMs: 1 })).toBe(true);
    await waitFor(() => stopped, 'the writer to stop itself');
    expect(stopped).toBe('maxDuration');
    expect(writer.write({ body: Buffer.from('{}'), arrivalMs: 2 })).toBe(false);
    expect((await writer.close()).linesWritten).toBe(1);
  });

  it('turns an unwritable path into a CaptureWriteError when it starts, not a crash', () => {
    // The file is opened when the writer is created: the recording is refused at once, with the reason.
    expect(() => createCaptureWriter(join(dir, 'no-such-dir', 'x.ndjson'))).toThrow(CaptureWriteError);
    expect(() => createCaptureWriter(join(dir, 'no-such-dir', 'x.ndjson'))).toThrow(/no-such-dir.*ENOENT/);
  });
});
