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
import { BehindIngestIndex, type BehindIngestSpec } from './behindIngestIndex';
import type { StatementCache } from './statementCache';

/** An event's partition of the index is its seq >> PAYMENT_INDEX_PART_BITS (migration 260 keyed them so). */
export const PAYMENT_INDEX_PART_BITS = 16;
/** Seqs per partition (65,536): a lookup probes each partition once. */
export const PAYMENT_INDEX_PART_SEQS = 2 ** PAYMENT_INDEX_PART_BITS;

/**
 * Events in the tail before a seal. A lookup reads the whole tail: a payment's timeline took
 * 1.0-1.7 ms with 20,000 events in it and 0.24 ms with none, on 1,000,000 events (BENCHMARKS.md,
 * twelfth session). A seal of more rows costs less per event.
 */
export const PAYMENT_INDEX_SEAL_ROWS = 20_000;

/** The partitions from the oldest stored event's to the newest sealed one's. */
export const PAYMENT_INDEX_PARTS = `WITH RECURSIVE parts(p) AS (
    SELECT (SELECT MIN(seq) FROM event_log) >> ${PAYMENT_INDEX_PART_BITS}
    UNION ALL SELECT p + 1 FROM parts WHERE p < (SELECT through_seq FROM event_payment_index_state) >> ${PAYMENT_INDEX_PART_BITS})
  SELECT p FROM parts`;

const SEQS_INDEXED = `SELECT seq FROM event_payment_index WHERE part IN (${PAYMENT_INDEX_PARTS}) AND payment_id = ?
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

const PAYMENT_SPEC: BehindIngestSpec = {
  state: 'event_payment_index_state',
  fill: `INSERT INTO event_payment_index (part, payment_id, seq)
    SELECT seq >> ${PAYMENT_INDEX_PART_BITS}, payment_id, seq FROM event_log
    WHERE seq > (SELECT through_seq FROM event_payment_index_state) AND payment_id IS NOT NULL`,
};

/** The writer of the payment index: the ingest transaction's seal, and a bulk load's deferral. */
export class PaymentIndex extends BehindIngestIndex {
  constructor(db: Database, sealRows = PAYMENT_INDEX_SEAL_ROWS) {
    super(db, PAYMENT_SPEC, sealRows);
  }

  /** Whether the database has it (a test's writer may run on a schema before migration 260). */
  static existsIn(db: Database): boolean {
    return BehindIngestIndex.presentIn(db, PAYMENT_SPEC);
  }
}
