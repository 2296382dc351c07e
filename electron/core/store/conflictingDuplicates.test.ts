// An event whose (source, id) is already stored with a different body: the first stored copy
// stays (exactly-once by identity), and the conflicting copy is quarantined with a reason that
// names its source and id, and counted (conflicting_duplicates), so an operator is told. An
// identical copy (a broker's redelivery, a producer's retry) is an ordinary duplicate.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { wholeEventText } from '../../../test/support/wholeEventText';
import { openDatabase } from './database';
import { eventIdentity } from './eventIdentity';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { storeOn } from './store';
import { recordMetricsOutbox } from '../metricsStream/outboxHooks';
import { metricsPayloadSchema } from '../../../shared/metricsStream';

const dir = tempDir();
let n = 0;
const freshDb = () => openDatabase(path.join(dir, `conflict-${++n}.db`));
const incoming = (value: unknown, arrivalMs = 1000, redelivered = false, routingKey = 'payment.authorized'): IncomingMessage => {
  const raw = { body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), arrivalMs, routingKey };
  return { raw, result: decodeMessage(raw), redelivered };
};
const quarantineRows = (db: ReturnType<typeof freshDb>) =>
  db.prepare('SELECT reason, CAST(body AS TEXT) AS body, routing_key AS routingKey FROM quarantine ORDER BY seq').all() as { reason: string; body: string; routingKey: string }[];

describe('a duplicate (source, id) with a different body', () => {
  it('keeps the first stored copy, quarantines the other naming source and id, and counts it', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const first = paymentEvent('payment.authorized', { id: 'pay-conflict-1' }, { amount: 500, currency: 'EUR' });
    const other = { ...first, data: { ...first.data, amount: 50_000 } };
    expect(w.commit([incoming(first)])).toMatchObject({ duplicates: 0, quarantined: 0 });
    const out = w.commit([incoming(other, 2000)]);
    expect(out).toMatchObject({ inserted: [], duplicates: 0, quarantined: 1, conflictingDuplicates: 1 });
    const stats = storeOn(db).stats();
    expect(stats).toMatchObject({ events: 1, duplicates: 0, quarantined: 1, conflictingDuplicates: 1, authorizedAmountByCurrency: { EUR: 500 } });
    const [q] = quarantineRows(db);
    expect(q.reason).toContain('psp/authorizer');
    expect(q.reason).toContain('pay-conflict-1');
    expect(q.reason).toMatch(/different body/);
    expect(q.routingKey).toBe('payment.authorized');
    // The quarantined body is the conflicting copy, whole: the operator can compare the two.
    expect(JSON.parse(q.body)).toEqual(other);
    expect(db.prepare('SELECT amount FROM event_log').pluck().all()).toEqual([500]);
  });

  it('an identical copy, redelivered or sent again, is an ordinary duplicate, never a conflict', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const e = paymentEvent('payment.authorized', {}, { amount: 1, currency: 'JPY' });
    // The same event with its keys in another order and its numbers spelled otherwise is the same event.
    const reordered = `{"data":${JSON.stringify({ ...e.data, amount: 1.0 }).replace('"amount":1', '"amount":1e0')},"time":"${e.time}","type":"${e.type}","source":"${e.source}","id":"${e.id}","specversion":"1.0","datacontenttype":"application/json"}`;
    w.commit([incoming(e), incoming(e)]);
    expect(w.commit([incoming(e, 5000, true), incoming(reordered, 6000)])).toMatchObject({ duplicates: 2, redeliveredDuplicates: 1, quarantined: 0, conflictingDuplicates: 0 });
    // Arrival and routing key are the transport's, not the event's.
    expect(w.commit([incoming(e, 7000, false, 'elsewhere')])).toMatchObject({ duplicates: 1, conflictingDuplicates: 0 });
    // An unknown type without `time` is placed by its arrival: a later copy arrives later, and is the same event.
    const heartbeat = { specversion: '1.0', id: 'hb-1', source: 'ops/other', type: 'com.example.heartbeat' };
    w.commit([incoming(heartbeat, 1000, false, 'x')]);
    expect(w.commit([incoming(heartbeat, 99_000, true, 'x')])).toMatchObject({ duplicates: 1, conflictingDuplicates: 0 });
    expect(storeOn(db).stats()).toMatchObject({ quarantined: 0, conflictingDuplicates: 0, duplicates: 5 });
  });

  it('the same instant spelled another way, or the same id from another source, is no conflict', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const e = paymentEvent('payment.captured', { id: 'spelled-1', time: '2026-11-23T05:31:44.120Z' }, { amount: 1, currency: 'KWD' });
    w.commit([incoming(e)]);
    // What a bridge or another serializer writes for the same time: an offset, fewer fraction digits, a lower-case t/z.
    for (const time of ['2026-11-23T06:31:44.12+01:00', '2026-11-23T05:31:44.120000+00:00', '2026-11-23t05:31:44.12z']) {
      expect(w.commit([incoming({ ...e, time }, 2000)]), time).toMatchObject({ duplicates: 1, conflictingDuplicates: 0, quarantined: 0 });
    }
    // Another instant is another body.
    expect(w.commit([incoming({ ...e, time: '2026-11-23T05:31:44.121Z' }, 3000)])).toMatchObject({ conflictingDuplicates: 1 });
    // The same id from another source is another event, whatever its body.
    expect(w.commit([incoming({ ...e, source: 'psp/other', data: { ...e.data, amount: 2 } }, 4000)]).inserted).toHaveLength(1);
    expect(storeOn(db).stats()).toMatchObject({ events: 2, duplicates: 3, conflictingDuplicates: 1 });
  });

  it('the same event in binary mode (content type application/json) and in structured mode without datacontenttype is no conflict', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const data = { paymentId: 'p-bin', merchantId: 'm1', amount: 5, currency: 'JPY' };
    const structured = { specversion: '1.0', id: 'bin-1', source: 'psp/a', type: 'payment.authorized', time: '2026-11-23T05:00:00Z', data };
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'bin-1', 'cloudEvents:source': 'psp/a', 'cloudEvents:type': 'payment.authorized', 'cloudEvents:time': '2026-11-23T05:00:00Z' };
    const raw = { body: Buffer.from(JSON.stringify(data)), arrivalMs: 2000, routingKey: 'payment.authorized', contentType: 'application/json', headers };
    w.commit([incoming(structured)]);
    expect(w.commit([{ raw, result: decodeMessage(raw) }])).toMatchObject({ duplicates: 1, conflictingDuplicates: 0 });
    // And the other way round: stored from binary mode, then a structured copy without it.
    const w2 = new EventWriter(freshDb());
    w2.commit([{ raw, result: decodeMessage(raw) }]);
    expect(w2.commit([incoming(structured, 3000)])).toMatchObject({ duplicates: 1, conflictingDuplicates: 0 });
  });

  it('a redelivered conflicting copy already quarantined is a redelivered duplicate, not a second row', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const e = paymentEvent('payment.declined', { id: 'dup-redelivered' }, { declineCode: '05' });
    const other = { ...e, data: { ...e.data, declineCode: '51' } };
    w.commit([incoming(e), incoming(other)]); // both in one batch: the first stored, the other quarantined
    expect(w.commit([incoming(other, 3000, true)])).toMatchObject({ quarantined: 0, duplicates: 1, redeliveredDuplicates: 1, conflictingDuplicates: 0 });
    expect(quarantineRows(db)).toHaveLength(1);
    expect(storeOn(db).stats()).toMatchObject({ events: 1, quarantined: 1, conflictingDuplicates: 1, duplicates: 1 });
    expect(db.prepare('SELECT decline_code FROM event_log').pluck().all()).toEqual(['05']);
  });

  it('tells a conflict from a duplicate against a row stored whole (before migration 210)', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const e = paymentEvent('payment.authorized', { id: 'old-1' }, { amount: 700, currency: 'KWD' });
    w.commit([incoming(e)]);
    const decoded = decodeMessage({ body: Buffer.from(JSON.stringify(e)), arrivalMs: 0 });
    const event = (decoded as { event: NormalizedEvent }).event;
    db.prepare('UPDATE event_log SET json = ?').run(wholeEventText(event, event.timeMs!));
    expect(w.commit([incoming(e, 2000, true)])).toMatchObject({ duplicates: 1, conflictingDuplicates: 0 });
    expect(w.commit([incoming({ ...e, data: { ...e.data, amount: 701 } }, 3000)])).toMatchObject({ quarantined: 1, conflictingDuplicates: 1 });
  });

  it('tells a conflict from a duplicate when the identity hash is held by another event (the overflow)', () => {
    const db = freshDb();
    new EventWriter(db, undefined, { identityIndexSealRows: 1 }).commit([incoming(paymentEvent('payment.authorized', { id: 'a' }))]);
    db.prepare('UPDATE event_log SET ident = ?').run(eventIdentity('psp/authorizer', 'b'));
    db.prepare('UPDATE event_identity_index SET ident = ?').run(eventIdentity('psp/authorizer', 'b'));
    const w = new EventWriter(db, undefined, { identityIndexSealRows: 10 });
    const b = paymentEvent('payment.authorized', { id: 'b' }, { amount: 10 });
    expect(w.commit([incoming(b)]).inserted).toHaveLength(1);
    expect(w.commit([incoming(b, 2000, true)])).toMatchObject({ duplicates: 1, conflictingDuplicates: 0 });
    expect(w.commit([incoming({ ...b, data: { ...b.data, amount: 11 } }, 3000)])).toMatchObject({ quarantined: 1, conflictingDuplicates: 1 });
  });

  it('reaches followers in a payload of its own: a follower of before the counter skips that one only, never the batch\'s rollups', () => {
    const db = freshDb();
    const store = storeOn(db);
    recordMetricsOutbox(store, 'queue', () => 1_000, 'incarnation-1');
    const first = paymentEvent('payment.authorized', { id: 'to-followers' }, { amount: 5 });
    store.ingest.commit([incoming(first), incoming({ ...first, data: { ...first.data, amount: 6 } }), incoming(paymentEvent('payment.captured'))]);
    const payloads = store.metricsStream.pendingOutbox(10).map((r) => metricsPayloadSchema.parse(JSON.parse(r.body)));
    const OLDER_COUNTERS = ['duplicates', 'redelivered_duplicates', 'quarantined', 'unknown_types'];
    const withRollups = payloads.filter((p) => p.rollups.length > 0);
    expect(withRollups).toHaveLength(1);
    expect(Object.keys(withRollups[0].counters).every((k) => OLDER_COUNTERS.includes(k))).toBe(true);
    expect(withRollups[0].counters).toEqual({ quarantined: 1 });
    expect(payloads.filter((p) => p.rollups.length === 0).map((p) => p.counters)).toEqual([{ conflicting_duplicates: 1 }]);
  });
});
