// Thread: the engine thread (drops and builds); either thread reads which are present.
// The explorer's secondary indexes over event_log. Ingest needs only the identity key and the
// time index; these two serve explorer filters and report counts, and the payment index
// (paymentIndex.ts, a table filled behind ingest) serves payment timelines and search. A
// replay session drops these two and builds them once at its end, and defers the payment
// index's seals to its end: a bulk index build (one sort) costs a fraction of keeping B-trees
// in order row by row. While they are absent, queries fall back to the time index with the
// condition checked per row (slower, still right).
import type { Database } from 'better-sqlite3';
import { PaymentIndex } from './paymentIndex';

export const EXPLORER_INDEXES = {
  event_log_type_time: 'CREATE INDEX IF NOT EXISTS event_log_type_time ON event_log(type, time_ms)',
  event_log_merchant_time: 'CREATE INDEX IF NOT EXISTS event_log_merchant_time ON event_log(merchant_id, time_ms) WHERE merchant_id IS NOT NULL',
} as const;

export type ExplorerIndex = keyof typeof EXPLORER_INDEXES;

/** Which explorer indexes exist now. */
export function presentExplorerIndexes(db: Database): Set<ExplorerIndex> {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_log'").pluck().all() as string[];
  return new Set(rows.filter((n): n is ExplorerIndex => n in EXPLORER_INDEXES));
}

/** Stops maintaining the explorer indexes (bulk loading): dropped, and the payment index's seals deferred, until `build`. */
export function deferExplorerIndexes(db: Database): void {
  db.transaction(() => {
    for (const name of Object.keys(EXPLORER_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
    new PaymentIndex(db).defer();
  })();
}

/**
 * Builds the explorer indexes that are missing and catches the payment index up if a bulk load
 * deferred it, in one transaction; returns how many of them it built or caught up.
 */
export function buildExplorerIndexes(db: Database): number {
  const present = presentExplorerIndexes(db);
  const missing = (Object.keys(EXPLORER_INDEXES) as ExplorerIndex[]).filter((n) => !present.has(n));
  return db.transaction(() => {
    for (const name of missing) db.exec(EXPLORER_INDEXES[name]);
    return missing.length + (new PaymentIndex(db).catchUp() ? 1 : 0);
  })();
}

/**
 * The presence of the explorer indexes as a reader sees it, re-read at most once a second
 * (a replay's writer builds them while a read worker serves pages).
 */
export class ExplorerIndexPresence {
  private seen: { at: number; names: Set<ExplorerIndex> } | null = null;

  constructor(private readonly db: Database) {}

  has(name: ExplorerIndex): boolean {
    const now = Date.now();
    if (!this.seen || now - this.seen.at > 1000) this.seen = { at: now, names: presentExplorerIndexes(this.db) };
    return this.seen.names.has(name);
  }

  /** `INDEXED BY name` when it exists, else nothing (SQLite picks what there is). */
  indexedBy(name: ExplorerIndex): string {
    return this.has(name) ? `INDEXED BY ${name}` : '';
  }
}
