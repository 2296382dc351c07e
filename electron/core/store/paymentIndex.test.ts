// The payment index filled behind ingest (paymentIndex.ts, migration 260): a payment's timeline
// and the explorer's payment search find the same events as a scan of event_log, whatever part of
// them is sealed and whatever is in the tail; a seal belongs to its batch's transaction; deletes
// take index rows with them and never leave a new event where no reader looks; a bulk load defers
// the seals and its end catches up.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';
import { storeOn, type ReadStore } from './store';

const dir = tempDir('payops-payidx-');
let files = 0;
const freshDb = () => openDatabase(path.join(dir, `p-${++files}.db`));

const TYPES = ['payment.initiated', 'payment.authorized', 'payment.declined', 'payment.captured', 'payment.refunded'];

/** One attempt of payment `p` (ids shared between payments so a batch mixes old and new ones). */
function message(p: number, k: number, timeOffsetMs: number): IncomingMessage {
  const ce = paymentEvent(TYPES[k % TYPES.length], { time: new Date(Date.UTC(2026, 10, 23) + timeOffsetMs).toISOString() }, { paymentId: `pay_${p}` });
  const raw = { body: Buffer.from(JSON.stringify(ce)), arrivalMs: 1000 + k, routingKey: ce.type };
  return { raw, result: decodeMessage(raw) };
}

const state = (db: Database.Database) =>
  db.prepare('SELECT through_seq AS through, deferred FROM event_payment_index_state').get() as { through: number; deferred: number };
const indexRows = (db: Database.Database) => db.prepare('SELECT part, payment_id, seq FROM event_payment_index ORDER BY payment_id, seq').all();
const sealedRows = (db: Database.Database, through: number) =>
  db.prepare('SELECT seq >> 16 AS part, payment_id, seq FROM event_log WHERE payment_id IS NOT NULL AND seq <= ? ORDER BY payment_id, seq').all(through);

/** What a scan of event_log says of a payment: its events in event-time order. */
const scanned = (db: Database.Database, paymentId: string) =>
  db.prepare('SELECT seq FROM event_log WHERE payment_id = ? ORDER BY time_ms, seq').pluck().all(paymentId) as number[];
const timeline = (store: ReadStore, paymentId: string) => store.events.ofPayment(paymentId, 10_000).map((r) => r.seq);
const searched = (store: ReadStore, paymentId: string) =>
  store.eventPages.page({ filter: { search: paymentId }, order: 'asc', limit: 500 }).rows.map((r) => r.seq).sort((a, b) => a - b);

describe('the payment index filled behind ingest', () => {
  it('finds what a scan finds for every payment, sealed, in the tail or split between them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: -3_600_000, max: 3_600_000 })), { maxLength: 60 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 50 }),
        // Where seqs start: the index is partitioned by seq >> 16, so batches may straddle partitions.
        fc.constantFrom(0, 65_500, 131_000),
        (batches, sealRows, start) => {
          const db = freshDb();
          if (start) db.prepare("INSERT INTO event_log (seq, time_ms, arrival_ms, type, json) VALUES (?, 0, 0, 'placeholder', '{}')").run(start);
          const writer = new EventWriter(db, undefined, { paymentIndexSealRows: sealRows });
          const store = storeOn(db);
          let k = 0;
          for (const batch of batches) {
            writer.commit(batch.map(([p, offset]) => message(p, k++, offset)));
            const { through } = state(db);
            // Sealed: exactly the events up to through_seq; the tail never reaches the threshold after a batch.
            expect(indexRows(db)).toEqual(sealedRows(db, through));
            // Once the writer has stored an event: before that, a placeholder row put there by this test
            // (not by the writer) is the only row, and an empty batch has no reason to seal it.
            const maxSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM event_log').pluck().get() as number);
            if (k > 0) expect(maxSeq - through).toBeLessThan(sealRows);
            for (let p = 0; p <= 40; p += 7) {
              const want = scanned(db, `pay_${p}`);
              expect(timeline(store, `pay_${p}`)).toEqual(want);
              expect(searched(store, `pay_${p}`)).toEqual([...want].sort((a, b) => a - b));
            }
          }
          db.close();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('seals in the batch transaction: a batch that rolls back takes its seal with it', () => {
    const db = freshDb();
    const writer = new EventWriter(db, undefined, { paymentIndexSealRows: 5 });
    writer.commit([0, 1, 2].map((p, k) => message(p, k, 0)));
    expect(state(db).through).toBe(0);
    writer.also(() => {
      throw new Error('after the events and the seal');
    });
    expect(() => writer.commit([3, 4, 5, 6].map((p, k) => message(p, 10 + k, 0)))).toThrow('after the events and the seal');
    expect(state(db).through).toBe(0);
    expect(indexRows(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(3);
  });

  it('deletes index rows with their events, and a new event after the newest were deleted is still found', () => {
    const db = freshDb();
    const writer = new EventWriter(db, undefined, { paymentIndexSealRows: 4 });
    writer.commit([1, 2, 3, 4, 5].map((p, k) => message(p, k, 0)));
    expect(state(db).through).toBe(5);
    db.prepare("DELETE FROM event_log WHERE payment_id = 'pay_2'").run();
    expect(indexRows(db)).toEqual(sealedRows(db, 5));
    // The newest rows go (as retention takes a late event with an old time): SQLite would give
    // the next event seq 4, below the old through_seq.
    db.prepare('DELETE FROM event_log WHERE seq >= 4').run();
    expect(state(db).through).toBe(3);
    writer.commit([message(9, 20, 0)]);
    const seq = scanned(db, 'pay_9');
    expect(seq).toEqual([4]);
    expect(timeline(storeOn(db), 'pay_9')).toEqual([4]);
  });

  it('is not sealed while a bulk load defers it; its end catches the whole tail up', () => {
    const db = freshDb();
    const store = storeOn(db);
    const writer = new EventWriter(db, undefined, { paymentIndexSealRows: 3 });
    store.deferExplorerIndexes();
    writer.commit([1, 2, 3, 4, 5, 6, 7].map((p, k) => message(p, k, 0)));
    expect(state(db)).toEqual({ through: 0, deferred: 1 });
    expect(timeline(store, 'pay_4')).toEqual(scanned(db, 'pay_4'));
    expect(store.buildExplorerIndexes()).toBe(3); // two explorer indexes built, the payment index caught up
    expect(state(db)).toEqual({ through: 7, deferred: 0 });
    expect(indexRows(db)).toEqual(sealedRows(db, 7));
    expect(store.buildExplorerIndexes()).toBe(0);
  });

  it('looks a payment up by its rows, never by walking another index, whatever the filters', () => {
    const db = freshDb();
    const writer = new EventWriter(db);
    writer.commit([1, 2, 3].map((p, k) => message(p, k, 0)));
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      if (sql.includes('FROM event_payment_index WHERE')) plans.push(...(prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(sql.split('?').length - 1).fill(null)) as { detail: string }[]).map((r) => r.detail));
      return prepare(sql);
    }) as typeof db.prepare;
    const store = storeOn(db);
    store.events.ofPayment('pay_1', 10);
    store.eventPages.page({ filter: { search: 'pay_1', types: ['payment.authorized', 'payment.declined'], from: 0, to: Date.UTC(2030, 0, 1) }, limit: 10 });
    expect(plans.length).toBeGreaterThan(0);
    expect(plans.filter((d) => /^SCAN event_log|USING INDEX event_log_/.test(d))).toEqual([]);
    expect(plans).toContain('SEARCH event_log USING INTEGER PRIMARY KEY (rowid=?)');
    expect(plans).toContain('SEARCH event_payment_index USING PRIMARY KEY (part=? AND payment_id=?)');
  });
});

describe('migration 260: the payment index becomes a table filled behind ingest', () => {
  it('carries a database over: the same rows indexed, the old index gone, the same timelines', () => {
    const file = path.join(dir, 'm260.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.filter((m) => m.version < 260));
    old.exec('CREATE INDEX IF NOT EXISTS event_log_payment ON event_log(payment_id) WHERE payment_id IS NOT NULL');
    new EventWriter(old).commit(Array.from({ length: 120 }, (_, k) => message(k % 17, k, (k * 7919) % 100_000)));
    const before = storeOn(old);
    const want = Array.from({ length: 17 }, (_, p) => timeline(before, `pay_${p}`));
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'event_log_payment'").all()).toEqual([]);
      expect(state(db)).toEqual({ through: 120, deferred: 0 });
      expect(indexRows(db)).toEqual(sealedRows(db, 120));
      const store = storeOn(db);
      expect(Array.from({ length: 17 }, (_, p) => timeline(store, `pay_${p}`))).toEqual(want);
      expect(want.flat()).toHaveLength(120);
    } finally {
      db.close();
    }
  });
});
