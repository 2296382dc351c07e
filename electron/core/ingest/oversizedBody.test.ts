// A body over the size limit is quarantined unread. It was stored whole, so a few hostile or
// mistaken messages (a 50 MB log file published to the exchange) counted against the database's
// size as much as millions of events. The quarantine row now keeps a bounded prefix, and the
// reason says the body was cut, from what size, and how much is kept. Real pipeline, real SQLite.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { decodeMessage } from '../../../shared/events/decode';
import type { DecodeResult } from '../../../shared/events/eventTypes';
import { openDatabase } from '../store/database';
import { EventWriter } from '../store/eventWriter';
import { storeOn } from '../store/store';
import { IngestPipeline, type PipelineInput } from './ingestPipeline';
import { OVERSIZED_BODY_KEPT_BYTES } from './oversizedBody';

const dir = tempDir();
let n = 0;

function pipelineOn(maxBodyBytes: number) {
  const db = openDatabase(path.join(dir, `oversized-${++n}.db`));
  const tapped: { size: number; result: DecodeResult }[] = [];
  const pipeline = new IngestPipeline(new EventWriter(db), {
    batchSize: 1,
    flushMs: 1000,
    maxBodyBytes,
    tap: (raw, result) => tapped.push({ size: raw.body.byteLength, result }),
  });
  const push = (body: Uint8Array, more: Partial<PipelineInput> = {}) => pipeline.push({ raw: { body, arrivalMs: 1000, routingKey: 'payment.authorized' }, ...more });
  const rows = () => db.prepare('SELECT reason, body, length(body) AS size FROM quarantine ORDER BY seq').all() as { reason: string; body: Buffer; size: number }[];
  return { db, push, rows, tapped, close: () => pipeline.close() };
}

/** A body whose every byte says where it stood, so a kept prefix is seen to be the first bytes. */
function bodyOf(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = 32 + (i % 90);
  return b;
}

describe('an oversized body in quarantine', () => {
  it(`keeps its first ${OVERSIZED_BODY_KEPT_BYTES} bytes, saying it was cut and from what size`, () => {
    const { db, push, rows, close } = pipelineOn(1024 * 1024);
    const body = bodyOf(3 * 1024 * 1024);
    push(body);
    close();
    const [row] = rows();
    expect(row.size).toBe(OVERSIZED_BODY_KEPT_BYTES);
    expect(Buffer.compare(row.body, body.subarray(0, OVERSIZED_BODY_KEPT_BYTES))).toBe(0);
    expect(row.reason).toBe(`body of 3145728 bytes exceeds the limit of 1048576 bytes (cut: the quarantine keeps its first ${OVERSIZED_BODY_KEPT_BYTES} bytes)`);
    expect(storeOn(db).stats()).toMatchObject({ quarantined: 1, quarantineHeld: 1, events: 0 });
  });

  it('keeps no more than the limit when the limit is lower than the bound', () => {
    const { rows, push, close } = pipelineOn(1000);
    push(bodyOf(5000));
    close();
    expect(rows()).toEqual([{ size: 1000, body: bodyOf(1000), reason: 'body of 5000 bytes exceeds the limit of 1000 bytes (cut: the quarantine keeps its first 1000 bytes)' }]);
  });

  it('cuts a body the consumer thread already decoded too, and counts a redelivered copy once', () => {
    const { db, rows, push, close } = pipelineOn(2048);
    const body = bodyOf(100_000);
    const decoded = decodeMessage({ body, arrivalMs: 1 }, { maxBodyBytes: 2048 });
    push(body, { decoded });
    push(Buffer.from(body), { decoded, redelivered: true });
    close();
    expect(rows().map((r) => r.size)).toEqual([2048]);
    expect(storeOn(db).stats()).toMatchObject({ quarantined: 1, duplicates: 1, redeliveredDuplicates: 1 });
  });

  it('lets a capture record the whole body, so its replay refuses it for the same reason', () => {
    const { tapped, push, close } = pipelineOn(1000);
    push(bodyOf(5000));
    close();
    expect(tapped).toEqual([{ size: 5000, result: expect.objectContaining({ ok: false, reason: 'body of 5000 bytes exceeds the limit of 1000 bytes' }) }]);
  });

  it('keeps a body refused for anything else whole, however near the limit', () => {
    const { rows, push, close } = pipelineOn(1024 * 1024);
    const body = Buffer.concat([Buffer.from('not json '), bodyOf(200_000)]);
    push(body);
    close();
    const [row] = rows();
    expect(row.size).toBe(body.length);
    expect(row.reason).toMatch(/^body is not JSON/);
  });

  it('cuts a plain Uint8Array body (as a capture line gives it) the same way', () => {
    const { rows, push, close } = pipelineOn(10);
    push(new Uint8Array(bodyOf(50)));
    close();
    expect(rows()).toEqual([{ size: 10, body: bodyOf(10), reason: 'body of 50 bytes exceeds the limit of 10 bytes (cut: the quarantine keeps its first 10 bytes)' }]);
  });
});
