// Poison messages: whatever arrives, decode + store must never throw. A message the decoder
// accepts but SQLite refuses would hold its whole batch (and everything behind it) paused
// forever, since a batch that cannot commit is retried and never acknowledged. So: any
// message (valid events with mutated fields, binary mode with odd headers, garbage) is
// either stored as an event or quarantined, in a real database, batch after batch.
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { decodeMessage } from '../../shared/events/decode';
import { KNOWN_TYPES, type RawMessage } from '../../shared/events/eventTypes';
import { openDatabase } from '../core/store/database';
import { EventWriter, type IncomingMessage } from '../core/store/eventWriter';
import { storeOn } from '../core/store/store';
import { paymentEvent, riskEvent } from '../../bench/events';
import { tempDir } from '../../test/support/tempDir';

const RUNS = process.env.PAYOPS_LONG ? 5_000 : 600;
const dir = tempDir('payops-fuzzstore-');
let db: Database.Database;
let writer: EventWriter;

beforeAll(() => {
  db = openDatabase(path.join(dir, 'fuzz.db'), { durability: 'normal' });
  writer = new EventWriter(db);
});
afterAll(() => db?.close());

const odd = fc.oneof(
  fc.constantFrom(
    null, '', ' ', '\u0000', 'NaN', '1e309', -1, 0, 1.5, 2 ** 53, -(2 ** 63), 1e308, -1e308, Number.MAX_VALUE, true, [], {},
    '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z', '2026-02-30T00:00:00Z', '2026-11-23T05:00:00+25:00',
    '2026-11-23T05:00:00.123456789012Z', '1969-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '2026-11-23t05:00:00z',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.json({ maxDepth: 2 }).map((j) => JSON.parse(j) as unknown),
);

const baseEvent = fc.constantFrom(...KNOWN_TYPES, 'com.example.other').map((type) =>
  (type.startsWith('risk.') ? riskEvent(type) : paymentEvent(type)) as Record<string, unknown> & { data: Record<string, unknown> },
);

/** A valid event with some envelope attributes and data fields replaced by odd values. */
const mutatedEvent = fc
  .tuple(
    baseEvent,
    fc.dictionary(fc.constantFrom('id', 'source', 'type', 'time', 'specversion', 'subject', 'datacontenttype', 'dataschema'), odd, { maxKeys: 3 }),
    fc.dictionary(
      fc.constantFrom('paymentId', 'merchantId', 'amount', 'currency', 'method', 'country', 'cardBin', 'latencyMs', 'declineCode', 'score', 'decision', 'rules'),
      odd,
      { maxKeys: 4 },
    ),
  )
  .map(([e, env, data]): Record<string, unknown> & { data: Record<string, unknown> } => ({ ...e, ...env, data: { ...e.data, ...data } }));

const headerValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)), fc.date({ noInvalidDate: false }), fc.array(fc.string(), { maxLength: 3 }), fc.bigInt());

const raw: fc.Arbitrary<RawMessage> = fc.oneof(
  // Structured mode.
  fc.tuple(mutatedEvent, fc.option(fc.string({ maxLength: 40 }))).map(([e, rk]) => ({
    body: Buffer.from(JSON.stringify(e)),
    contentType: 'application/cloudevents+json',
    routingKey: rk,
    arrivalMs: Date.now(),
  })),
  // Binary mode: attributes in headers, data in the body.
  fc.tuple(mutatedEvent, fc.dictionary(fc.string({ maxLength: 12 }), headerValue, { maxKeys: 3 })).map(([e, extra]) => {
    const headers: Record<string, unknown> = { ...extra };
    for (const k of ['id', 'source', 'type', 'time', 'specversion', 'subject']) if (e[k] !== undefined) headers[`ce-${k}`] = e[k];
    return { body: Buffer.from(JSON.stringify(e.data)), headers, contentType: 'application/json', routingKey: String(e.type), arrivalMs: Date.now() };
  }),
  // Garbage.
  fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.option(fc.dictionary(fc.string({ maxLength: 12 }), headerValue, { maxKeys: 3 }))).map(([b, h]) => ({
    body: Buffer.from(b),
    headers: h,
    contentType: null,
    routingKey: null,
    arrivalMs: Date.now(),
  })),
);

describe('decode + store never poison a batch', () => {
  it('every message is stored or quarantined; the transaction always commits', () => {
    let messages = 0;
    const before = storeOn(db).stats();
    fc.assert(
      fc.property(fc.array(fc.tuple(raw, fc.boolean()), { minLength: 1, maxLength: 20 }), (batch) => {
        const items: IncomingMessage[] = batch.map(([r, redelivered]) => ({ raw: r, result: decodeMessage(r, { maxBodyBytes: 64 * 1024 }), redelivered }));
        let out;
        try {
          out = writer.commit(items);
        } catch (err) {
          const detail = items.map((i) => (i.result.ok ? i.result.event.json.slice(0, 300) : `quarantine: ${i.result.reason}`)).join('\n');
          throw new Error(`commit threw ${(err as Error).message}\n${detail}`);
        }
        messages += items.length;
        expect(out.inserted.length + out.duplicates + out.quarantined).toBe(items.length);
        for (const e of out.inserted) {
          expect(Number.isFinite(e.timeMs)).toBe(true);
          expect(typeof e.json).toBe('string');
        }
      }),
      { numRuns: RUNS },
    );
    const after = storeOn(db).stats();
    expect(after.events + after.duplicates + after.quarantined - (before.events + before.duplicates + before.quarantined)).toBe(messages);
  }, 120_000);
});
