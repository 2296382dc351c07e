import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent, riskEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { NEWEST_VERSION, migrate } from './migrate';
import { storeOn } from './store';

const dir = tempDir();
let n = 0;
const freshDb = () => openDatabase(path.join(dir, `store-${++n}.db`));
const incoming = (value: unknown, arrivalMs = 1000, redelivered = false): IncomingMessage => {
  const raw = { body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), arrivalMs, routingKey: 'rk' };
  return { raw, result: decodeMessage(raw), redelivered };
};

describe('EventWriter', () => {
  it('stores an event once per (source, id) and counts the repeats as duplicates', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const e = paymentEvent('payment.authorized', {}, { amount: 500, currency: 'EUR' });
    const first = w.commit([incoming(e), incoming(e)]);
    const second = w.commit([incoming(e, 2000, true)]);
    expect(first.inserted).toHaveLength(1);
    expect(first.duplicates).toBe(1);
    expect(second).toMatchObject({ duplicates: 1, redeliveredDuplicates: 1 });
    const stats = storeOn(db).stats();
    expect(stats).toMatchObject({ events: 1, duplicates: 2, redeliveredDuplicates: 1, authorizedAmountByCurrency: { EUR: 500 } });
    // The same id from another source is another event.
    w.commit([incoming({ ...e, source: 'psp/other' })]);
    expect(storeOn(db).stats().events).toBe(2);
  });

  it('quarantines a redelivered refusal once: its first delivery was stored before the acknowledgement was lost', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const bad = { ...paymentEvent('payment.authorized', {}, { amount: -5, currency: 'EUR' }) };
    const other = { ...paymentEvent('payment.authorized', {}, { amount: -6, currency: 'EUR' }) };
    expect(w.commit([incoming(bad), incoming(bad)]).quarantined).toBe(2); // sent twice by its producer: two messages
    // Redelivered after a crash: already held, so a duplicate, not a third row.
    expect(w.commit([incoming(bad, 2000, true)])).toMatchObject({ quarantined: 0, duplicates: 1, redeliveredDuplicates: 1 });
    // Redelivered but never stored (the crash came before the commit): quarantined.
    expect(w.commit([incoming(other, 2000, true)]).quarantined).toBe(1);
    // The same body under another routing key is another message.
    const elsewhere: IncomingMessage = { ...incoming(bad, 3000, true), raw: { ...incoming(bad).raw, routingKey: 'other' } };
    expect(w.commit([elsewhere]).quarantined).toBe(1);
    expect(storeOn(db).stats()).toMatchObject({ quarantined: 4, redeliveredDuplicates: 1 });
    expect(db.prepare('SELECT COUNT(*) FROM quarantine').pluck().get()).toBe(4);
    // A body longer than the index's prefix is compared whole.
    const long = (tail: string) => incoming(`${'x'.repeat(200)}${tail}`, 4000, false);
    w.commit([long('a')]);
    expect(w.commit([{ ...long('b'), redelivered: true }]).quarantined).toBe(1);
    expect(w.commit([{ ...long('a'), redelivered: true }]).quarantined).toBe(0);
  });

  it('keeps rollups equal to the stored events, per type and per currency', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const events = [
      paymentEvent('payment.authorized', {}, { amount: 100, currency: 'EUR' }),
      paymentEvent('payment.authorized', {}, { amount: 250, currency: 'USD' }),
      paymentEvent('payment.authorized', {}, { amount: 50, currency: 'EUR' }),
      paymentEvent('payment.declined', {}, { declineCode: '05' }),
      riskEvent('risk.blocked'),
    ];
    w.commit(events.map((e) => incoming(e)));
    w.commit(events.map((e) => incoming(e)));
    const stats = storeOn(db).stats();
    expect(stats.byType).toEqual({ 'payment.authorized': 3, 'payment.declined': 1, 'risk.blocked': 1 });
    expect(stats.authorizedAmountByCurrency).toEqual({ EUR: 150, USD: 250 });
    const direct = db.prepare(`SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY type`).all();
    expect(direct).toEqual(Object.entries(stats.byType).map(([type, count]) => ({ type, n: count })));
    const declines = db.prepare(`SELECT key, count FROM rollup_second WHERE dim = 'decline'`).all();
    expect(declines).toEqual([{ key: '05', count: 1 }]);
  });

  it('quarantines bad input with its raw bytes, headers and reason, in the same transaction', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const bad = { raw: { body: Buffer.from([0xff, 0x00]), headers: { h: 'v' }, contentType: 'x/y', routingKey: 'payment.x', arrivalMs: 7 } };
    const out = w.commit([{ ...bad, result: decodeMessage(bad.raw) }, incoming(paymentEvent('payment.captured'))]);
    expect(out).toMatchObject({ quarantined: 1 });
    const row = db.prepare('SELECT * FROM quarantine').get() as Record<string, unknown>;
    expect(row).toMatchObject({ arrival_ms: 7, routing_key: 'payment.x', content_type: 'x/y', headers: '{"h":"v"}', reason: 'body is not valid UTF-8' });
    expect(Buffer.compare(row.body as Buffer, Buffer.from([0xff, 0x00]))).toBe(0);
    expect(storeOn(db).stats()).toMatchObject({ events: 1, quarantined: 1 });
  });

  it('places unknown types without time by arrival time and counts them', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    w.commit([incoming({ specversion: '1.0', id: 'u1', source: 's', type: 'com.example.other' }, 1_700_000_000_000)]);
    expect(storeOn(db).stats()).toMatchObject({ events: 1, unknownTypes: 1, firstEventTime: new Date(1_700_000_000_000).toISOString() });
  });

  it('rolls the whole batch back when one write fails, so nothing is half stored', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    db.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON event_log WHEN NEW.json ->> '$.id' = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    const good = paymentEvent('payment.authorized');
    expect(() => w.commit([incoming(good), incoming({ ...good, id: 'boom' })])).toThrow(/boom/);
    expect(storeOn(db).stats().events).toBe(0);
  });
});

describe('migrations and retention', () => {
  it('applies numbered migrations once and refuses a database from a newer payops', () => {
    const db = freshDb();
    const newest = NEWEST_VERSION;
    expect(db.pragma('user_version', { simple: true })).toBe(newest);
    expect(migrate(db)).toBe(newest);
    db.pragma(`user_version = ${newest + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this payops/);
  });

  it('uses WAL', () => {
    expect(freshDb().pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('deletes events and their rollups older than the retention, keeping the rest consistent', () => {
    const db = freshDb();
    const w = new EventWriter(db);
    const now = Date.UTC(2026, 10, 23);
    const old = paymentEvent('payment.authorized', { time: new Date(now - 10 * 86_400_000).toISOString() }, { amount: 7, currency: 'EUR' });
    const recent = paymentEvent('payment.authorized', { time: new Date(now - 3600_000).toISOString() }, { amount: 9, currency: 'EUR' });
    w.commit([incoming(old), incoming(recent)]);
    expect(storeOn(db).applyRetention(7, now)).toBe(1);
    expect(storeOn(db).stats()).toMatchObject({ events: 1, authorizedAmountByCurrency: { EUR: 9 } });
    expect(storeOn(db).applyRetention(0, now)).toBe(0);
  });
});
