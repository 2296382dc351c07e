// Migration 362: a database that ran migrations 210 and 250 before their `events` view spelled a
// time before 1970 by floor arithmetic keeps the old view ('1969-12-31T23:59:59.-500Z' for -1500
// ms): the fixed migrations never run again on it. 362 builds the view again, as 250 now does.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { incoming, writerBefore240 } from '../../../test/support/storedTextKit';
import { paymentEvent } from '../../../bench/events';
import { MIGRATIONS, NEWEST_VERSION, migrate } from './migrate';
import { floorDivSql } from './stepStart';

const dir = tempDir('payops-migration362-');
const upTo = (db: Database.Database, version: number) => migrate(db, MIGRATIONS.filter((m) => m.version <= version));

/** The time spelling of the `events` view as migrations 210 and 250 wrote it before the fix (1a11f8d). */
const OLD_ISO_TIME = `strftime('%Y-%m-%dT%H:%M:%S', time_ms / 1000, 'unixepoch') || printf('.%03dZ', time_ms % 1000)`;
const FIXED_ISO_TIME = `strftime('%Y-%m-%dT%H:%M:%S', ${floorDivSql('time_ms', 1000)}, 'unixepoch') || printf('.%03dZ', ((time_ms % 1000) + 1000) % 1000)`;

const TIMES = ['1900-02-28T12:00:00.001Z', '1969-12-31T23:59:58.500Z', '1969-12-31T23:59:59.000Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.250Z', '2026-11-02T01:00:00.007Z'];

/** A database at 360 whose `events` view is the one the old 250 built, holding pre-1970 rows stored as the writer before 04970b1 did. */
function oldDatabase(file: string): Database.Database {
  const db = new Database(file);
  expect(upTo(db, 210)).toBe(210);
  writerBefore240(db).commit(TIMES.map((time, i) => incoming(paymentEvent('payment.authorized', { id: `pre-epoch-${i}`, time }), 1000 + i)));
  // That writer left a time before 1970 out of the text (flag 4): the view restores it.
  db.exec(`UPDATE event_log SET json = json_set(json_remove(json, '$.time'), '$."~"', (json ->> '$."~"') | 4) WHERE time_ms < 0`);
  expect(upTo(db, 360)).toBe(360);
  const view = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'events'").pluck().get() as string).split(FIXED_ISO_TIME);
  expect(view.length).toBeGreaterThan(1);
  db.exec(`DROP VIEW events; ${view.join(OLD_ISO_TIME)}`);
  return db;
}

const restored = (db: Database.Database) => (db.prepare("SELECT json ->> '$.time' AS time FROM events ORDER BY time_ms").all() as { time: string }[]).map((r) => r.time);

describe('migration 362: the events view built again', () => {
  it('a database past 250 with the old view gives back the ISO time of an event before 1970 after it', () => {
    const db = oldDatabase(path.join(dir, 'old.db'));
    try {
      // The old view, as such a database holds it.
      expect(restored(db)).toContain('1969-12-31T23:59:59.-500Z');
      expect(migrate(db)).toBe(NEWEST_VERSION);
      expect(restored(db)).toEqual(TIMES);
      expect(NEWEST_VERSION).toBeGreaterThanOrEqual(362);
      // The source and the rest of the text as before: every row reads back whole.
      const sources = db.prepare('SELECT DISTINCT source FROM events').pluck().all();
      expect(sources).toHaveLength(1);
      expect(sources[0]).toEqual(expect.any(String));
    } finally {
      db.close();
    }
  });

  it('is idempotent: run again on a database that has the view (a rewound user_version), the same view and rows', () => {
    const file = path.join(dir, 'again.db');
    oldDatabase(file).close();
    const db = new Database(file);
    try {
      migrate(db);
      const viewSql = () => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'events'").pluck().get();
      const first = viewSql();
      db.pragma('user_version = 360');
      expect(migrate(db)).toBe(NEWEST_VERSION);
      expect(viewSql()).toBe(first);
      expect(restored(db)).toEqual(TIMES);
    } finally {
      db.close();
    }
  });

  it('a fresh database has the same view as a migrated one', () => {
    const fresh = new Database(path.join(dir, 'fresh.db'));
    const old = oldDatabase(path.join(dir, 'old-compare.db'));
    try {
      migrate(fresh);
      migrate(old);
      const viewSql = (db: Database.Database) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'events'").pluck().get();
      expect(viewSql(old)).toBe(viewSql(fresh));
    } finally {
      fresh.close();
      old.close();
    }
  });
});
