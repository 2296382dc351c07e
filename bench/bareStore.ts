// The ceilings' store (bench:replay's (a), bench:ingest's and bench:stream's (c)): ONE table
// holding the identity key (the same 53-bit (source, id) hash payops uses, unique) and one
// time index, nothing else. What any store of these events must at least do.
import Database from 'better-sqlite3';
import { eventIdentity } from '../electron/core/store/eventIdentity';

interface BareEvent {
  id: string;
  source: string;
  type: string;
  time?: string;
}

/** One row of the table from one event's JSON text (JSON.parse is part of the floor). */
export type BareRow = [ident: number, timeMs: number, type: string, json: string];

export function bareRow(text: string): BareRow {
  const e = JSON.parse(text) as BareEvent;
  return [eventIdentity(e.source, e.id), Date.parse(e.time ?? ''), e.type, text];
}

/** Bytes in use in a database file (pages minus free pages), indexes included. */
export function bytesInUse(db: Database.Database): number {
  const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
  return pages * (db.pragma('page_size', { simple: true }) as number);
}

export interface BareStore {
  /** Inserts the rows in one transaction. */
  commit(rows: BareRow[]): void;
  /** Bytes in use (pages minus free pages), indexes included. */
  bytes(): number;
  close(): void;
}

/**
 * `uniqueKey`: the identity hash alone (the ceilings', as payops keys its events), or led by
 * event time (bench:growth's comparison: where a new key lands then follows the clock).
 */
export function openBareStore(
  file: string,
  pragmas: { synchronous: 'FULL' | 'NORMAL'; cacheKb: number },
  uniqueKey: 'ident' | 'time_ms, ident' = 'ident',
): BareStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${pragmas.synchronous}`);
  db.pragma(`cache_size = -${pragmas.cacheKb}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 4000');
  db.exec(`CREATE TABLE bare_events (seq INTEGER PRIMARY KEY, ident INTEGER NOT NULL, time_ms INTEGER NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL);
    CREATE UNIQUE INDEX bare_events_identity ON bare_events(${uniqueKey});
    CREATE INDEX bare_events_time ON bare_events(time_ms);`);
  const insert = db.prepare(`INSERT INTO bare_events (ident, time_ms, type, json) VALUES (?, ?, ?, ?) ON CONFLICT (${uniqueKey}) DO NOTHING`);
  const commit = db.transaction((rows: BareRow[]) => {
    for (const r of rows) insert.run(r);
  });
  return {
    commit,
    bytes: () => bytesInUse(db),
    close: () => db.close(),
  };
}
