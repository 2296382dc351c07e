// Thread: the engine thread seals (in the ingest transaction, or when a bulk load ends); the
// read worker asks ExplorerIndexPresence whether to read it.
// The merchant index (migration 280) is filled behind ingest: (merchant_id, time_ms, seq) of the
// events up to through_seq; the newer ones, the tail, are found by a scan of their seq range.
// A seal inserts the tail sorted by the key, so each merchant's newest leaf page is written once
// per seal (kept in order row by row, it was written once per ingest transaction).
import type { Database } from 'better-sqlite3';
import { BehindIngestIndex, type BehindIngestSpec } from './behindIngestIndex';
import { StatementCache } from './statementCache';

/**
 * Events in the tail before a seal. An explorer page filtered by merchant scans the tail:
 * 20,000 rows, as for the payment index.
 */
export const MERCHANT_INDEX_SEAL_ROWS = 20_000;

const MERCHANT_SPEC: BehindIngestSpec = {
  state: 'event_merchant_index_state',
  fill: `INSERT INTO event_merchant_index (merchant_id, time_ms, seq)
    SELECT merchant_id, time_ms, seq FROM event_log
    WHERE seq > (SELECT through_seq FROM event_merchant_index_state) AND merchant_id IS NOT NULL
    ORDER BY merchant_id, time_ms, seq`,
};

/** The writer of the merchant index: the ingest transaction's seal, and a bulk load's deferral. */
export class MerchantIndex extends BehindIngestIndex {
  constructor(db: Database, sealRows = MERCHANT_INDEX_SEAL_ROWS) {
    super(db, MERCHANT_SPEC, sealRows);
  }

  /** Whether the database has it (a test's writer may run on a schema before migration 280). */
  static existsIn(db: Database): boolean {
    return BehindIngestIndex.presentIn(db, MERCHANT_SPEC);
  }
}

/** The tail's start, read in a reader's statement. */
export const MERCHANT_TAIL_FROM = '(SELECT through_seq FROM event_merchant_index_state)';

/**
 * Whether readers may use the merchant index: it exists and no bulk load defers it (a deferred
 * tail is every event the replay stored).
 */
export function merchantIndexUsable(db: Database): boolean {
  const sql = new StatementCache(db);
  return sql.hasTables('event_merchant_index_state') && sql.pluck('SELECT deferred FROM event_merchant_index_state').get() === 0;
}
