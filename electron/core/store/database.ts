import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { NEWEST_VERSION, migrate } from './migrate';
import { unusableSchema } from './schemaCheck';

export type Durability = 'full' | 'normal';

export interface OpenOptions {
  /** 'full' fsyncs every commit (live ingest: an acknowledged event survives power loss);
   *  'normal' is crash-safe but not power-loss safe (replay sessions, rebuilt from a capture). */
  durability?: Durability;
  readonly?: boolean;
  /** Size limit of the database file in bytes (PRAGMA max_page_count): past it, writes fail
   *  with SQLITE_FULL and ingest pauses without acknowledging. Unset or 0: no limit. */
  maxBytes?: number;
}

export class DatabaseOpenError extends Error {}

/** How long a statement waits for another process's lock before failing with SQLITE_BUSY. */
export const LOCK_WAIT_MS = 5000;

/**
 * Creates a missing database file readable by its owner only: it holds every payment event
 * unmasked (exports are masked, this file is not), and SQLite gives its -wal and -shm files
 * the database file's mode. An existing file keeps the mode its owner gave it.
 */
function createPrivately(file: string): void {
  if (file === ':memory:' || file === '' || file.startsWith('file:') || fs.existsSync(file)) return;
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch {
    // Created meanwhile, or not creatable: SQLite opens it, or says why, as it would have.
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  // SQLite says only "disk I/O error" of a folder (a --db pointed at one by mistake).
  if (isDirectory(file)) throw new DatabaseOpenError(`cannot open database ${file}: it is a directory, not a database file`);
  if (options.readonly) return openForReading(file);
  let db: Database.Database;
  try {
    // One level only: Node's recursive mkdir can spin forever under /proc-like trees.
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir)) fs.mkdirSync(dir);
    createPrivately(file);
    db = new Database(file);
  } catch (err) {
    throw new DatabaseOpenError(`cannot open database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    // Before anything is written: never switch another application's SQLite file to WAL or
    // lay payops tables into it (a mistyped --db), nor touch a newer payops's database.
    const unusable = unusableSchema(db, NEWEST_VERSION, { emptyIsUsable: true });
    if (unusable) throw new Error(unusable);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    // 16 MB: the writer's hot pages are the indexes' inner pages and the right edge of the
    // time-ordered ones; the leaves of the random-key indexes (identity, payment) miss at any
    // size worth having and come from the OS page cache. 64 MB cost a PaySim replay ~60-90 MB
    // of peak RSS for no measured ingest speed (collect --drain, 100k events: 5.3-5.5 s CPU
    // at 16 MB, 5.8-6.2 s at 64 MB). Readers keep SQLite's default.
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
    db.pragma('wal_autocheckpoint = 4000');
    migrate(db);
    if (options.maxBytes) setMaxDbBytes(db, options.maxBytes);
  } catch (err) {
    db.close();
    throw new DatabaseOpenError(`cannot use database ${file}: ${(err as Error).message}`);
  }
  return db;
}

/**
 * A read-only connection, after a check that the file is a payops database this payops can
 * read: not another file, not cut short, not empty, not written by a newer payops (whose
 * tables this one's readers could misread).
 */
function openForReading(file: string): Database.Database {
  migrateBeforeReading(file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new DatabaseOpenError(`cannot open database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    const unusable = unusableSchema(db, NEWEST_VERSION, { emptyIsUsable: false });
    if (unusable) throw new Error(unusable);
  } catch (err) {
    db.close();
    throw new DatabaseOpenError(`cannot read database ${file}: ${readFailure(file, err)}`);
  }
  return db;
}

/** Why a read-only connection could not read, in an operator's words where SQLite's mislead. */
function readFailure(file: string, err: unknown): string {
  // A WAL database needs its -shm (and -wal) file beside it even to be read; SQLite says
  // "attempt to write a readonly database" when it may not create them.
  if ((err as { code?: unknown }).code === 'SQLITE_READONLY_DIRECTORY') {
    return `its folder ${path.dirname(path.resolve(file))} is not writable, and SQLite must create ${path.basename(file)}-shm there to read a WAL database; copy the file to a writable folder, or run as a user who may write the folder`;
  }
  return (err as Error).message;
}

/**
 * A database written by an older payops is migrated before a read-only connection reads it
 * (its readers query the current schema). Without write access it stays as it is, and a read
 * fails naming the missing table.
 */
function migrateBeforeReading(file: string): void {
  let probe: Database.Database;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return; // the read-only open below reports it
  }
  let version: number;
  try {
    version = probe.pragma('user_version', { simple: true }) as number;
  } catch {
    return; // not SQLite, or cut short: the read-only open below reports it
  } finally {
    probe.close();
  }
  if (version === 0 || version >= NEWEST_VERSION) return;
  try {
    openDatabase(file).close();
  } catch {
    // read-only file or directory: read as it is
  }
}

/** SQLite's own ceiling for max_page_count: "no limit". */
const UNLIMITED_PAGES = 4294967294;

export interface DbSizeLimit {
  /** The limit in effect, in bytes (rounded down to whole pages), or null for none. */
  maxBytes: number | null;
  /** The database's current size in bytes (pages in use, free pages included). */
  sizeBytes: number;
}

/**
 * Sets (or with null/0 lifts) the size limit of this connection's database file. SQLite
 * cannot shrink a limit below the current size, so a smaller limit holds the file where it
 * is. It applies to this connection only and is not stored in the file. Freed pages (the
 * retention deleting old events) are reused within the limit.
 */
export function setMaxDbBytes(db: Database.Database, maxBytes: number | null): DbSizeLimit {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = maxBytes && maxBytes > 0 ? Math.max(1, Math.floor(maxBytes / pageSize)) : UNLIMITED_PAGES;
  const effective = db.pragma(`max_page_count = ${Math.min(pages, UNLIMITED_PAGES)}`, { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  return { maxBytes: effective >= UNLIMITED_PAGES ? null : effective * pageSize, sizeBytes: pageCount * pageSize };
}

/**
 * An error of SQLite met while a session sets its database up (a replay drops the explorer's
 * indexes, a live session builds them) as a DatabaseOpenError naming the file: exit code 3,
 * and a lock said to be another process's. Other errors are returned as they are.
 */
export function databaseSetupError(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  const reason = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
    ? `another process has held a write transaction on it for more than ${LOCK_WAIT_MS / 1000} s (${code}); stop that process or use another --db`
    : (err as Error).message;
  return new DatabaseOpenError(`cannot use database ${file}: ${reason}`);
}
