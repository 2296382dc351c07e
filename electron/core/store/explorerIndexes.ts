// Thread: the engine thread (drops and builds); either thread reads which are present.
// The explorer's secondary indexes over event_log. Ingest needs only the time index; the type
// index serves explorer filters and report counts, and the payment and merchant indexes
// (paymentIndex.ts, merchantIndex.ts: tables filled behind ingest) serve payment timelines,
// search, merchant pages and counts. A replay session drops the type index and builds it once
// at its end, and defers the other two's seals to its end: a bulk index build (one sort) costs
// a fraction of keeping B-trees in order row by row. Meanwhile queries fall back to the time
// index with the condition checked per row (slower, still right).
import type { Database } from 'better-sqlite3';
import { MerchantIndex, merchantIndexUsable } from './merchantIndex';
import { PaymentIndex } from './paymentIndex';

export const EXPLORER_INDEXES = {
  event_log_type_time: 'CREATE INDEX IF NOT EXISTS event_log_type_time ON event_log(type, time_ms)',
} as const;

export type ExplorerIndex = keyof typeof EXPLORER_INDEXES;

/** Which explorer indexes exist now. */
export function presentExplorerIndexes(db: Database): Set<ExplorerIndex> {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_log'").pluck().all() as string[];
  return new Set(rows.filter((n): n is ExplorerIndex => n in EXPLORER_INDEXES));
}

/** Stops maintaining the explorer indexes (bulk loading): dropped, and the payment and merchant indexes' seals deferred, until `build`. */
export function deferExplorerIndexes(db: Database): void {
  db.transaction(() => {
    for (const name of Object.keys(EXPLORER_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
    new PaymentIndex(db).defer();
    if (MerchantIndex.existsIn(db)) new MerchantIndex(db).defer();
  })();
}

/**
 * Builds the explorer indexes that are missing and catches the payment and merchant indexes up
 * if a bulk load deferred them, in one transaction; returns how many of them it built or caught up.
 */
export function buildExplorerIndexes(db: Database): number {
  const present = presentExplorerIndexes(db);
  const missing = (Object.keys(EXPLORER_INDEXES) as ExplorerIndex[]).filter((n) => !present.has(n));
  return db.transaction(() => {
    for (const name of missing) db.exec(EXPLORER_INDEXES[name]);
    const merchants = MerchantIndex.existsIn(db) && new MerchantIndex(db).catchUp();
    return missing.length + (new PaymentIndex(db).catchUp() ? 1 : 0) + (merchants ? 1 : 0);
  })();
}

/**
 * The presence of the explorer indexes as a reader sees it (and whether the merchant index may
 * be read), re-read at most once a second
 * (a replay's writer builds them while a read worker serves pages).
 */
export class ExplorerIndexPresence {
  private seen: { at: number; names: Set<ExplorerIndex>; merchantIndex: boolean } | null = null;

  constructor(private readonly db: Database) {}

  has(name: ExplorerIndex): boolean {
    return this.current().names.has(name);
  }

  /** Whether the merchant index may be read (merchantIndex.ts): present, and no replay defers it. */
  merchantIndexUsable(): boolean {
    return this.current().merchantIndex;
  }

  /** `INDEXED BY name` when it exists, else nothing (SQLite picks what there is). */
  indexedBy(name: ExplorerIndex): string {
    return this.has(name) ? `INDEXED BY ${name}` : '';
  }

  private current(): { names: Set<ExplorerIndex>; merchantIndex: boolean } {
    const now = Date.now();
    if (!this.seen || now - this.seen.at > 1000) this.seen = { at: now, names: presentExplorerIndexes(this.db), merchantIndex: merchantIndexUsable(this.db) };
    return this.seen;
  }
}
