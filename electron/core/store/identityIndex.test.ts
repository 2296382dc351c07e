// The identity index filled behind ingest (identityIndex.ts, migration 270): exactly-once by
// (source, id) holds whatever part of the stored events is sealed and whatever is in the
// writer's tail, across batches, seals, rollbacks, deletes, another writer of the same file and
// the migration; a search by event id finds what a scan finds.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { eventIdentity } from './eventIdentity';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';
import { storeOn } from './store';

const dir = tempDir('payops-identidx-');
let files = 0;
const freshFile = () => path.join(dir, `i-${++files}.db`);

const T0 = Date.UTC(2026, 10, 23);

/** Event `id` of `source`; `timeOffsetMs` differs between copies of one event when a producer re-sent it with a new time. */
function message(source: string, id: string, timeOffsetMs = 0): IncomingMessage {
  // The same body for the same (source, id, time): a copy with another time is a conflicting duplicate.
  const data = { paymentId: `pay_${id}`, merchantId: 'm_1', amount: 100, currency: 'EUR' };
  const ce = { ...paymentEvent('payment.captured', { time: new Date(T0 + timeOffsetMs).toISOString() }, data), id, source };
  const raw = { body: Buffer.from(JSON.stringify(ce)), arrivalMs: T0, routingKey: ce.type };
  return { raw, result: decodeMessage(raw) };
}

const stored = (db: Database.Database) =>
  (db.prepare('SELECT json FROM event_log ORDER BY seq').pluck().all() as string[]).map((j) => (JSON.parse(j) as { id: string }).id);
const through = (db: Database.Database) => db.prepare('SELECT through_seq FROM event_identity_index_state').pluck().get() as number;
const indexRows = (db: Database.Database) => db.prepare('SELECT ident, seq FROM event_identity_index ORDER BY ident, seq').all();
const sealedRows = (db: Database.Database, upTo: number) =>
  db.prepare('SELECT ident, seq FROM event_log WHERE ident IS NOT NULL AND seq <= ? ORDER BY ident, seq').all(upTo);
const searched = (db: Database.Database, id: string) => storeOn(db).eventPages.page({ filter: { search: id }, limit: 100 }).rows.map((r) => r.id);

describe('the identity index filled behind ingest', () => {
  it('stores each (source, id) once, sealed or in the tail, whatever its copies carry as time', () => {
    fc.assert(
      fc.property(
        // Batches of (source, id, time offset): ids from a small pool, so copies land in one batch, in later
        // batches, before and after seals.
        fc.array(fc.array(fc.tuple(fc.constantFrom('psp/a', 'psp/b'), fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 5 })), { maxLength: 25 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 20 }),
        (batches, sealRows) => {
          const db = openDatabase(freshFile());
          const writer = new EventWriter(db, undefined, { identityIndexSealRows: sealRows });
          const seen = new Set<string>();
          const firstTime = new Map<string, number>();
          for (const batch of batches) {
            const want = batch.filter(([s, i]) => !seen.has(`${s}|e${i}`) && seen.add(`${s}|e${i}`));
            let conflicts = 0;
            for (const [s, i, t] of batch) {
              const first = firstTime.get(`${s}|e${i}`);
              if (first === undefined) firstTime.set(`${s}|e${i}`, t);
              else if (first !== t) conflicts += 1;
            }
            const out = writer.commit(batch.map(([s, i, t]) => message(s, `e${i}`, t * 1000)));
            expect(out.inserted.map((e) => `${e.source}|${e.id}`)).toEqual(want.map(([s, i]) => `${s}|e${i}`));
            expect(out.conflictingDuplicates).toBe(conflicts);
            expect(out.duplicates).toBe(batch.length - want.length - conflicts);
            const upTo = through(db);
            expect(indexRows(db)).toEqual(sealedRows(db, upTo));
            expect((db.prepare('SELECT COALESCE(MAX(seq), 0) FROM event_log').pluck().get() as number) - upTo).toBeLessThan(sealRows);
          }
          expect(db.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(seen.size);
          for (const i of [0, 7, 30]) {
            const sources = ['psp/a', 'psp/b'].filter((s) => seen.has(`${s}|e${i}`));
            expect(searched(db, `e${i}`)).toEqual(sources.map(() => `e${i}`));
          }
          db.close();
        },
      ),
      { numRuns: 30, seed: 1206 },
    );
  });

  it('stores a batch that rolled back when it comes again, though its writer had seen its events', () => {
    const db = openDatabase(freshFile());
    const writer = new EventWriter(db, undefined, { identityIndexSealRows: 3 });
    writer.commit(['a', 'b'].map((id) => message('psp/a', id)));
    let failing = true;
    writer.also(() => {
      if (failing) throw new Error('after the events and the seal');
    });
    const batch = ['c', 'd', 'e'].map((id) => message('psp/a', id));
    expect(() => writer.commit(batch)).toThrow('after the events and the seal');
    expect(through(db)).toBe(0);
    failing = false;
    expect(writer.commit(batch).inserted.map((e) => e.id)).toEqual(['c', 'd', 'e']);
    expect(stored(db)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(through(db)).toBe(5);
    expect(writer.commit(['a', 'e', 'f'].map((id) => message('psp/a', id))).inserted.map((e) => e.id)).toEqual(['f']);
  });

  it('sees what another writer of the same file stored, in the tail and sealed', () => {
    const file = freshFile();
    const first = openDatabase(file);
    const second = openDatabase(file);
    try {
      const one = new EventWriter(first, undefined, { identityIndexSealRows: 4 });
      const two = new EventWriter(second, undefined, { identityIndexSealRows: 4 });
      one.commit([message('psp/a', 'a')]);
      expect(two.commit([message('psp/a', 'a'), message('psp/a', 'b')]).inserted.map((e) => e.id)).toEqual(['b']);
      // The first writer's view ends at its own row: b came from the other one.
      expect(one.commit([message('psp/a', 'b'), message('psp/a', 'c')]).inserted.map((e) => e.id)).toEqual(['c']);
      two.commit(['d', 'e'].map((id) => message('psp/a', id))); // seals a..e
      expect(through(first)).toBe(5);
      expect(one.commit(['c', 'e', 'f'].map((id) => message('psp/a', id))).inserted.map((e) => e.id)).toEqual(['f']);
      expect(stored(first)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    } finally {
      first.close();
      second.close();
    }
  });

  it('stores again an event whose stored copy was deleted, sealed or in the tail', () => {
    const db = openDatabase(freshFile());
    const writer = new EventWriter(db, undefined, { identityIndexSealRows: 3 });
    writer.commit(['a', 'b', 'c', 'd'].map((id) => message('psp/a', id)));
    expect(through(db)).toBe(4);
    writer.commit([message('psp/a', 'e')]);
    db.prepare("DELETE FROM event_log WHERE json LIKE '%\"id\":\"b\"%' OR json LIKE '%\"id\":\"e\"%'").run();
    expect(indexRows(db)).toEqual(sealedRows(db, 4));
    expect(writer.commit(['a', 'b', 'e'].map((id) => message('psp/a', id))).inserted.map((e) => e.id)).toEqual(['b', 'e']);
    expect(searched(db, 'e')).toEqual(['e']);
  });

  it('stores an event whose index row outlived it (a delete that bypassed the triggers), once', () => {
    const db = openDatabase(freshFile());
    const writer = new EventWriter(db, undefined, { identityIndexSealRows: 2 });
    writer.commit(['a', 'b'].map((id) => message('psp/a', id)));
    expect(through(db)).toBe(2);
    db.exec('DROP TRIGGER event_identity_index_forget');
    db.prepare('DELETE FROM event_log WHERE seq = 1').run();
    expect(writer.commit([message('psp/a', 'a'), message('psp/a', 'a')])).toMatchObject({ duplicates: 1 });
    expect(stored(db)).toEqual(['b', 'a']);
    expect(indexRows(db)).toEqual(sealedRows(db, 2));
  });

  it('keeps an event whose identity hash a sealed event holds, once, and finds it by its id', () => {
    const db = openDatabase(freshFile());
    new EventWriter(db, undefined, { identityIndexSealRows: 1 }).commit([message('psp/a', 'a')]);
    expect(through(db)).toBe(1);
    // A real 53-bit collision cannot be found in a test: the sealed event a is made to hold b's hash.
    db.prepare('UPDATE event_log SET ident = ?').run(eventIdentity('psp/a', 'b'));
    db.prepare('UPDATE event_identity_index SET ident = ?').run(eventIdentity('psp/a', 'b'));
    const writer = new EventWriter(db, undefined, { identityIndexSealRows: 10 });
    expect(writer.commit([message('psp/a', 'b'), message('psp/a', 'b')])).toMatchObject({ duplicates: 1 });
    expect(writer.commit([message('psp/a', 'b')])).toMatchObject({ inserted: [], duplicates: 1 });
    expect(db.prepare('SELECT source, id FROM event_identity_overflow').all()).toEqual([{ source: 'psp/a', id: 'b' }]);
    expect(searched(db, 'b')).toEqual(['b']);
    expect(searched(db, 'a')).toEqual([]); // its hash is b's now: the search by hash finds b's row, whose id is not a
  });
});

describe('migration 270: the identity index becomes a table filled behind ingest', () => {
  it('carries a database over: the same identities, the UNIQUE index gone, exactly-once across it', () => {
    const file = freshFile();
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.filter((m) => m.version < 270));
    expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'event_log_identity'").all()).toHaveLength(1);
    new EventWriter(old).commit(Array.from({ length: 50 }, (_, k) => message(k % 2 ? 'psp/a' : 'psp/b', `e${k}`)));
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'event_log_identity'").all()).toEqual([]);
      expect(through(db)).toBe(50);
      expect(indexRows(db)).toEqual(sealedRows(db, 50));
      expect(indexRows(db)).toHaveLength(50);
      const out = new EventWriter(db).commit(Array.from({ length: 60 }, (_, k) => message(k % 2 ? 'psp/a' : 'psp/b', `e${k}`)));
      expect(out.inserted.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, k) => `e${50 + k}`));
      expect(out.duplicates).toBe(50);
      expect(searched(db, 'e7')).toEqual(['e7']);
    } finally {
      db.close();
    }
  });
});
