// Thread: the engine thread seals (in the ingest transaction, or when a bulk load ends); any
// thread reads through paymentSeqs.
// The payment index (migration 260) is filled behind ingest: events up to through_seq are in
// event_payment_index; the newer ones, the tail, are found by a scan of their seq range. A seal
// moves the tail into the index in one INSERT ... SELECT, in seq order (sorting it first cost
// more than it saved: the partition's pages are in the cache). The index's key leads with a
// partition of 65,536 seqs, so a seal writes into the newest one or two partitions: the pages it
// writes do not grow with the file (one B-tree ordered by payment would take a seal's rows on
// nearly every leaf page at a million events). A lookup probes each partition once.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/**
 * Events in the tail before a seal. A lookup reads the whole tail: a payment's timeline took
 * 1.0-1.7 ms with 20,000 events in it and 0.24 ms with none, on 1,000,000 events (BENCHMARKS.md,
 * twelfth session). A seal of more rows costs less per event.
 */
export const PAYMENT_INDEX_SEAL_ROWS = 20_000;

/** The partitions from the oldest stored event's to the newest sealed one's (seq >> 16, as migration 260 keys them). */
const PARTS = `WITH RECURSIVE parts(p) AS (
    SELECT (SELECT MIN(seq) FROM event_log) >> 16
    UNION ALL SELECT p + 1 FROM parts WHERE p < (SELECT through_seq FROM event_payment_index_state) >> 16)
  SELECT p FROM parts`;

const SEQS_INDEXED = `SELECT seq FROM event_payment_index WHERE part IN (${PARTS}) AND payment_id = ?
  UNION ALL SELECT seq FROM event_log WHERE seq > (SELECT through_seq FROM event_payment_index_state) AND payment_id = ?`;

/**
 * The seqs of one payment's events, for `FROM event_log NOT INDEXED WHERE seq IN (sql)`: without
 * NOT INDEXED, SQLite may walk another index's range and test each row against the list instead
 * of looking the few rows up. A read-only connection may hold a schema before migration 260,
 * where a scan finds them.
 */
export function paymentSeqs(sql: StatementCache, paymentId: string): { sql: string; args: string[] } {
  return sql.hasTables('event_payment_index_state')
    ? { sql: SEQS_INDEXED, args: [paymentId, paymentId] }
    : { sql: 'SELECT seq FROM event_log WHERE payment_id = ?', args: [paymentId] };
}

interface IndexState {
  tail: number;
  deferred: number;
}

/** How many events are in the tail, and whether a bulk load defers sealing. */
function indexState(sql: StatementCache): IndexState {
  return sql
    .prepare('SELECT COALESCE((SELECT MAX(seq) FROM event_log), 0) - through_seq AS tail, deferred FROM event_payment_index_state')
    .get() as IndexState;
}

/** Moves the whole tail into the index (in the caller's transaction, or its own); returns the tail's span in seqs. */
function sealAll(sql: StatementCache): number {
  return sql.transaction(() => {
    const { tail } = indexState(sql);
    if (tail <= 0) return 0;
    sql
      .prepare(
        `INSERT INTO event_payment_index (part, payment_id, seq)
           SELECT seq >> 16, payment_id, seq FROM event_log
           WHERE seq > (SELECT through_seq FROM event_payment_index_state) AND payment_id IS NOT NULL`,
      )
      .run();
    sql.prepare('UPDATE event_payment_index_state SET through_seq = (SELECT MAX(seq) FROM event_log)').run();
    return tail;
  })();
}

/** The writer of the payment index: the ingest transaction's seal, and a bulk load's deferral. */
export class PaymentIndex {
  private readonly sql: StatementCache;

  constructor(
    db: Database,
    private readonly sealRows = PAYMENT_INDEX_SEAL_ROWS,
  ) {
    this.sql = new StatementCache(db);
  }

  /** Whether the database has it (a test's writer may run on a schema before migration 260). */
  static existsIn(db: Database): boolean {
    return new StatementCache(db).hasTables('event_payment_index_state');
  }

  /** In the ingest transaction: seals when the tail reached `sealRows` and no bulk load defers it; returns the tail's span (0: not due). */
  sealIfDue(): number {
    const { tail, deferred } = indexState(this.sql);
    return deferred || tail < this.sealRows ? 0 : sealAll(this.sql);
  }

  /** A bulk load: no seal until `catchUp` (persisted, so the next session catches up after a killed replay). */
  defer(): void {
    this.sql.prepare('UPDATE event_payment_index_state SET deferred = 1').run();
  }

  /** Seals the whole tail if a bulk load deferred it; true when it did. */
  catchUp(): boolean {
    return this.sql.transaction(() => {
      if (!indexState(this.sql).deferred) return false;
      sealAll(this.sql);
      this.sql.prepare('UPDATE event_payment_index_state SET deferred = 0').run();
      return true;
    })();
  }
}
