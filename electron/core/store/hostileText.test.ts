// Text the database cannot hold as JavaScript holds it: SQLite stores text as UTF-8, and an
// unpaired UTF-16 surrogate (a JSON "\ud800" escape) becomes U+FFFD on the way in. A source, id
// or column holding one read back as another string: the same event redelivered was stored a
// second time, and its payment id changed silently. Such an event is quarantined whole, through
// the real pipeline (whose valid bodies are let go once decoded), and counted once.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { IngestPipeline } from '../ingest/ingestPipeline';
import { openDatabase } from './database';
import { EventWriter, ROLLUP_TYPE } from './eventWriter';
import { storeOn } from './store';
import { recordMetricsOutbox } from '../metricsStream/outboxHooks';
import { EVENT_TYPE, metricsPayloadSchema } from '../../../shared/metricsStream';

const dir = tempDir();
let n = 0;

function pipelineOn() {
  const db = openDatabase(path.join(dir, `hostile-${++n}.db`));
  const writer = new EventWriter(db);
  const pipeline = new IngestPipeline(writer, { batchSize: 1, flushMs: 1000 });
  const push = (value: unknown, redelivered = false, arrivalMs = 1000) =>
    pipeline.push({ raw: { body: Buffer.from(JSON.stringify(value)), arrivalMs, routingKey: 'payment.authorized' }, redelivered });
  return { db, push, close: () => pipeline.close() };
}

describe('unpaired surrogates in stored text', () => {
  for (const [field, event] of [
    ['source', () => paymentEvent('payment.authorized', { source: 'psp/\udfff' })],
    ['id', () => paymentEvent('payment.authorized', { id: 'evt-\ud800-1' })],
    ['data.paymentId', () => paymentEvent('payment.authorized', {}, { paymentId: 'pay_\ud83d' })],
    ['data.merchantId', () => paymentEvent('payment.declined', {}, { merchantId: 'm_\udc00' })],
  ] as const) {
    it(`${field}: quarantined once with its whole text, never stored twice or changed`, () => {
      const { db, push, close } = pipelineOn();
      const e = event();
      push(e);
      push(e, true, 2000);
      push(e, true, 3000);
      close();
      expect(storeOn(db).stats()).toMatchObject({ events: 0, quarantined: 1, duplicates: 2, redeliveredDuplicates: 2, conflictingDuplicates: 0 });
      const [q] = db.prepare('SELECT reason, CAST(body AS TEXT) AS body FROM quarantine').all() as { reason: string; body: string }[];
      expect(q.reason).toContain(field);
      expect(q.reason).toMatch(/surrogate/);
      expect(JSON.parse(q.body)).toEqual(e);
    });
  }

  it('keeps well-formed unicode (astral, CJK, RTL, combining) exactly, and a redelivery is a plain duplicate', () => {
    const { db, push, close } = pipelineOn();
    const e = paymentEvent('payment.authorized', { source: 'psp/çø-💳', id: 'ид-１-\u202e-e\u0301' }, { merchantId: 'm_東京_💳', paymentId: 'pay_𝔘', amount: 0, currency: 'JPY' });
    push(e);
    push(e, true, 2000);
    close();
    expect(storeOn(db).stats()).toMatchObject({ events: 1, quarantined: 0, duplicates: 1, conflictingDuplicates: 0, authorizedAmountByCurrency: { JPY: 0 } });
    const seq = db.prepare('SELECT seq FROM event_log').pluck().get() as number;
    expect(JSON.parse(storeOn(db).events.get(seq)!.json)).toEqual(e);
  });
});

describe('unknown event types no rollup can name', () => {
  it('an over-long or control-character type is quarantined, so followers never refuse the batch holding it', () => {
    const db = openDatabase(path.join(dir, `hostile-${++n}.db`));
    const store = storeOn(db);
    recordMetricsOutbox(store, 'queue', () => 1_000, 'incarnation-1');
    const unknown = (id: string, type: string) => ({ specversion: '1.0', id, source: 'ops/other', type });
    const longest = 'x'.repeat(200);
    const messages = [
      unknown('u1', 'y'.repeat(201)), unknown('u2', 'com.example.bell\u0007'), unknown('u3', 'com.example\nsecond-line'),
      unknown('u4', longest), unknown('u5', 'com.example.ünïcødé-✓'), paymentEvent('payment.authorized'),
    ].map((e) => {
      const raw = { body: Buffer.from(JSON.stringify(e)), arrivalMs: 1000, routingKey: 'x' };
      return { raw, result: decodeMessage(raw) };
    });
    const out = store.ingest.commit(messages);
    expect(out).toMatchObject({ quarantined: 3, unknownTypes: 2 });
    expect(out.inserted.map((e) => e.type)).toEqual([longest, 'com.example.ünïcødé-✓', 'payment.authorized']);
    const reasons = db.prepare('SELECT reason FROM quarantine ORDER BY seq').pluck().all() as string[];
    expect(reasons.every((r) => r.startsWith('type: '))).toBe(true);
    // Every payload a follower reads decodes: the batch's rollups reach it.
    for (const row of store.metricsStream.pendingOutbox(10)) expect(metricsPayloadSchema.safeParse(JSON.parse(row.body)).success).toBe(true);
  });

  it('a decline code no rollup can name: empty counts as unknown, over 200 characters is quarantined; followers read the batch', () => {
    const db = openDatabase(path.join(dir, `hostile-${++n}.db`));
    const store = storeOn(db);
    recordMetricsOutbox(store, 'queue', () => 1_000, 'incarnation-1');
    const messages = [
      paymentEvent('payment.declined', {}, { declineCode: '' }),
      paymentEvent('payment.declined', {}, { declineCode: '9'.repeat(201) }),
      paymentEvent('payment.declined', {}, { declineCode: '05' }),
    ].map((e) => {
      const raw = { body: Buffer.from(JSON.stringify(e)), arrivalMs: 1000, routingKey: 'payment.declined' };
      return { raw, result: decodeMessage(raw) };
    });
    expect(store.ingest.commit(messages)).toMatchObject({ quarantined: 1 });
    expect(db.prepare('SELECT reason FROM quarantine').pluck().get()).toMatch(/^data\.declineCode: longer than 200 characters/);
    for (const row of store.metricsStream.pendingOutbox(10)) expect(metricsPayloadSchema.safeParse(JSON.parse(row.body)).success).toBe(true);
  });

  it('judges a type as followers do', () => {
    expect(ROLLUP_TYPE.source).toBe(EVENT_TYPE.source);
  });
});
