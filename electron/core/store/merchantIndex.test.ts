// The merchant index filled behind ingest (merchantIndex.ts, migration 280): explorer pages
// filtered by merchant, paged to the end in either order and with other filters, and the
// report's counts per merchant, equal a scan of event_log whatever part of the events is
// sealed and whatever is in the tail, and while a replay defers the index.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import type { EventCursor, EventFilter } from '../../../shared/explorer';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';
import { storeOn, type ReadStore } from './store';

const dir = tempDir('payops-merchidx-');
let files = 0;
const freshDb = () => openDatabase(path.join(dir, `m-${++files}.db`));

const T0 = Date.UTC(2026, 10, 23);
const TYPES = ['payment.authorized', 'payment.declined', 'payment.captured'];
const COUNTRIES = ['DE', 'FR', 'NG'];

/** Event k: merchant m_<m>, at T0 + offset seconds (offsets repeat and go back: late events, equal times). */
function message(k: number, m: number, offsetS: number): IncomingMessage {
  const type = TYPES[k % TYPES.length];
  const ce = paymentEvent(type, { time: new Date(T0 + offsetS * 1000).toISOString() }, { paymentId: `pay_${k}`, merchantId: `m_${m}`, country: COUNTRIES[k % 3] });
  const raw = { body: Buffer.from(JSON.stringify({ ...ce, id: `e${k}` })), arrivalMs: T0, routingKey: type };
  return { raw, result: decodeMessage(raw) };
}

/** Every row of the filter, paged to the end 7 at a time (partial pages included). */
function paged(store: ReadStore, filter: EventFilter, order: 'asc' | 'desc'): number[] {
  const seqs: number[] = [];
  let cursor: EventCursor | null = null;
  for (let pages = 0; pages < 500; pages++) {
    const page = store.eventPages.page({ filter, order, limit: 7, cursor, scanBudgetRows: 3 });
    seqs.push(...page.rows.map((r) => r.seq));
    if (!page.nextCursor) return seqs;
    cursor = page.nextCursor;
  }
  throw new Error('did not end');
}

function scanned(db: Database.Database, filter: EventFilter, order: 'asc' | 'desc'): number[] {
  const conds = ['merchant_id = ?'];
  const args: unknown[] = [filter.merchantId];
  if (filter.types) { conds.push('type = ?'); args.push(filter.types[0]); }
  if (filter.country) { conds.push('country = ?'); args.push(filter.country); }
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  return db.prepare(`SELECT seq FROM event_log WHERE ${conds.join(' AND ')} ORDER BY time_ms ${dir}, seq ${dir}`).pluck().all(...args) as number[];
}

const countsByScan = (db: Database.Database, from: number, to: number) =>
  new Map(db.prepare('SELECT merchant_id, COUNT(*) FROM event_log WHERE merchant_id IS NOT NULL AND time_ms >= ? AND time_ms < ? GROUP BY 1').raw().all(from, to) as [string, number][]);

const state = (db: Database.Database) => db.prepare('SELECT through_seq AS through, deferred FROM event_merchant_index_state').get() as { through: number; deferred: number };
const indexRows = (db: Database.Database) => db.prepare('SELECT merchant_id, time_ms, seq FROM event_merchant_index ORDER BY 1, 2, 3').all();
const sealedRows = (db: Database.Database, through: number) =>
  db.prepare('SELECT merchant_id, time_ms, seq FROM event_log WHERE merchant_id IS NOT NULL AND seq <= ? ORDER BY 1, 2, 3').all(through);

const FILTERS: EventFilter[] = [{ merchantId: 'm_1' }, { merchantId: 'm_2', types: ['payment.declined'] }, { merchantId: 'm_0', country: 'NG' }, { merchantId: 'm_9' }];

function expectSameAsScan(db: Database.Database, store: ReadStore): void {
  for (const filter of FILTERS) {
    for (const order of ['asc', 'desc'] as const) expect(paged(store, filter, order)).toEqual(scanned(db, filter, order));
  }
  for (const [from, to] of [[T0 - 3_600_000, T0 + 3_600_000], [T0 + 60_000, T0 + 600_000], [T0 + 900_000, T0 + 901_000]]) {
    expect(store.reports.merchantCounts(from, to)).toEqual(countsByScan(db, from, to));
  }
}

describe('the merchant index filled behind ingest', () => {
  it('pages and counts what a scan finds, sealed, in the tail or split between them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -30, max: 1200 })), { maxLength: 40 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        (batches, sealRows) => {
          const db = freshDb();
          const writer = new EventWriter(db, undefined, { merchantIndexSealRows: sealRows });
          const store = storeOn(db);
          let k = 0;
          for (const batch of batches) {
            writer.commit(batch.map(([m, offset]) => message(k++, m, offset)));
            const { through } = state(db);
            expect(indexRows(db)).toEqual(sealedRows(db, through));
            expect((db.prepare('SELECT COALESCE(MAX(seq), 0) FROM event_log').pluck().get() as number) - through).toBeLessThan(sealRows);
          }
          expectSameAsScan(db, store);
          db.close();
        },
      ),
      { numRuns: 20, seed: 1206 },
    );
  });

  it('answers the same while a replay defers it, and its end catches the tail up', () => {
    const db = freshDb();
    const store = storeOn(db);
    const writer = new EventWriter(db, undefined, { merchantIndexSealRows: 5 });
    writer.commit(Array.from({ length: 12 }, (_, k) => message(k, k % 3, (k * 37) % 100)));
    store.deferExplorerIndexes();
    writer.commit(Array.from({ length: 30 }, (_, k) => message(100 + k, k % 4, (k * 53) % 300)));
    expect(state(db)).toEqual({ through: 12, deferred: 1 }); // the first batch sealed, the second deferred
    expectSameAsScan(db, store);
    store.buildExplorerIndexes();
    expect(state(db)).toEqual({ through: 42, deferred: 0 });
    expect(indexRows(db)).toEqual(sealedRows(db, 42));
    expectSameAsScan(db, storeOn(db));
  });

  it('deletes index rows with their events', () => {
    const db = freshDb();
    const writer = new EventWriter(db, undefined, { merchantIndexSealRows: 4 });
    writer.commit(Array.from({ length: 9 }, (_, k) => message(k, k % 2, k)));
    db.prepare("DELETE FROM event_log WHERE merchant_id = 'm_1' OR seq = 9").run();
    expect(state(db).through).toBe(7); // the newest row went: the mark follows MAX(seq)
    expect(indexRows(db)).toEqual(sealedRows(db, 7));
    expectSameAsScan(db, storeOn(db));
  });
});

describe('migration 280: the merchant index becomes a table filled behind ingest', () => {
  it('carries a database over: the same rows indexed, the old index gone, the same pages', () => {
    const file = path.join(dir, 'm280.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.filter((m) => m.version < 280));
    old.exec('CREATE INDEX IF NOT EXISTS event_log_merchant_time ON event_log(merchant_id, time_ms) WHERE merchant_id IS NOT NULL');
    new EventWriter(old).commit(Array.from({ length: 60 }, (_, k) => message(k, k % 5, (k * 7919) % 1000)));
    const want = paged(storeOn(old), { merchantId: 'm_1' }, 'desc');
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'event_log_merchant_time'").all()).toEqual([]);
      expect(state(db)).toEqual({ through: 60, deferred: 0 });
      expect(indexRows(db)).toEqual(sealedRows(db, 60));
      expect(paged(storeOn(db), { merchantId: 'm_1' }, 'desc')).toEqual(want);
      expect(want).toHaveLength(12);
    } finally {
      db.close();
    }
  });
});
