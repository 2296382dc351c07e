// Thread: the thread that runs an engine session (taken before it ingests, released at its end).
// Which payops sessions may write one database at once. Two live sessions on one file (a
// `collect` started twice, a console and a `collect` given the same --db) would consume the
// console queue as competing consumers: each stores half the traffic, so each one's alert
// rules judge half the events, and every alert is paged twice. A collector beside a replay
// mixes a broker's events into a capture's session. Replays into one session database may run
// together (each stores its own events once), so they share.
//
// The lease is a lock on a sidecar SQLite file (`<db>-lease`, in rollback-journal mode): a
// live session holds an EXCLUSIVE lock, a replay or demo a SHARED one (an open read
// transaction). The operating system drops the locks of a process that dies, kill -9
// included, so a crashed collector never leaves a stale lease behind.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseOpenError } from './database';

export type LeaseKind = 'exclusive' | 'shared';

export interface WriterLease {
  release(): void;
}

const NO_LEASE: WriterLease = { release: () => undefined };

/** The sidecar file that holds `dbFile`'s lease. */
export const leaseFileOf = (dbFile: string): string => `${dbFile}-lease`;

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};

/**
 * Takes `dbFile`'s writer lease, or throws a DatabaseOpenError naming who holds it. A database
 * in memory has no other writer. Where the sidecar cannot be made (a read-only folder), there
 * is no lease: opening the database itself then says what is wrong with the place.
 */
export function takeWriterLease(dbFile: string, kind: LeaseKind): WriterLease {
  if (dbFile === ':memory:' || dbFile === '') return NO_LEASE;
  let db: Database.Database;
  try {
    // One level only, as openDatabase does.
    const dir = path.dirname(path.resolve(dbFile));
    if (!fs.existsSync(dir)) fs.mkdirSync(dir);
    // No busy wait: a lease held now is held for a whole session.
    db = new Database(leaseFileOf(dbFile), { timeout: 0 });
  } catch {
    return NO_LEASE;
  }
  try {
    // Nothing is ever written to it: no journal file beside it either.
    db.pragma('journal_mode = MEMORY');
    if (kind === 'exclusive') {
      db.exec('BEGIN EXCLUSIVE');
    } else {
      db.exec('BEGIN');
      // The first read takes the SHARED lock, kept until the transaction ends.
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
  } catch (err) {
    db.close();
    if (!isBusy(err)) throw err;
    throw new DatabaseOpenError(
      kind === 'exclusive'
        ? `cannot use database ${dbFile}: another payops session is writing it (a collector, a console or a replay); stop it or give this one another --db`
        : `cannot use database ${dbFile}: a live payops session (a collector or a console) is writing it; a replay needs a session database of its own`,
    );
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}

/** Whether any payops session holds `dbFile`'s lease now (before a replay deletes the file). */
export function leaseHeld(dbFile: string): boolean {
  try {
    takeWriterLease(dbFile, 'exclusive').release();
    return false;
  } catch (err) {
    if (err instanceof DatabaseOpenError) return true;
    throw err;
  }
}
