import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';

export type Durability = 'full' | 'normal';

export interface OpenOptions {
  /** 'full' fsyncs every commit (live ingest: an acknowledged event survives power loss);
   *  'normal' is crash-safe but not power-loss safe (replay sessions, rebuilt from a capture). */
  durability?: Durability;
  readonly?: boolean;
}

export class DatabaseOpenError extends Error {}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  let db: Database.Database;
  try {
    // One level only: Node's recursive mkdir can spin forever under /proc-like trees.
    const dir = path.dirname(path.resolve(file));
    if (!options.readonly && !fs.existsSync(dir)) fs.mkdirSync(dir);
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw new DatabaseOpenError(`cannot open database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      db.pragma('wal_autocheckpoint = 4000');
      migrate(db);
    }
  } catch (err) {
    db.close();
    throw new DatabaseOpenError(`cannot use database ${file}: ${(err as Error).message}`);
  }
  return db;
}
