// Thread: whichever thread opens the connection (once, before any repository reads).
import type { Database } from 'better-sqlite3';

/** What to say of a schema version written by a newer payops (the caller says whose it is). */
export function newerSchema(version: number, newestVersion: number): string {
  return `schema version ${version} is newer than this payops (${newestVersion}); upgrade payops`;
}

/**
 * Why a file cannot be used as a payops database, or null when it can. Reading the schema
 * version and the table list reads the file's header and schema pages, so a file that is not
 * SQLite or was cut short fails here (SQLITE_NOTADB, SQLITE_CORRUPT) rather than in the middle
 * of a command. Every payops database has a schema version of at least 1 (migration 001).
 */
export function unusableSchema(db: Database, newestVersion: number, options: { emptyIsUsable: boolean }): string | null {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[];
  if (version > newestVersion) return `its ${newerSchema(version, newestVersion)}`;
  if (version > 0) return null;
  if (tables.length > 0) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
    return `it is not a payops database (no payops schema version; it holds the tables ${shown})`;
  }
  // An empty file (or one with no tables): a writer creates the schema in it; a reader has nothing to read.
  return options.emptyIsUsable ? null : 'it is empty: no payops database has been written to it';
}
