// Thread: the engine thread (the writer's, in the ingest transaction).
// The writer's filter of the payment ids stored (paymentIdFilter.ts) kept on disk, so that a
// start does not read every id of the payment index again: the first batch that needed the
// filter after opening a 10,000,000-event file waited ~3 s for it (BENCHMARKS.md, twenty-seventh
// session). Per partition of the index (seq >> 16, 65,536 seqs), the paymentIdHash of each id
// its events hold, 8 bytes an id (migration 382). A row is written only for a partition the
// index has sealed to its end (through_seq past it: no event can be added to it, and migration
// 382's trigger deletes the rows a delete of the newest events opens again), in the transaction
// that writes it, from the index rows that transaction sees: a crash keeps both or neither, so
// a row never lacks an id its partition holds. A partition without a row (not yet written, the
// newest, not sealed to its end, or stored before migration 382) is read from the index as
// before, and the tail from the event log. Rows are written behind ingest: one partition a
// batch at most (reading its ~65,536 index rows), and every partition a build reads from the
// index, so a file migrated to 382 has its rows once the filter is first built or after as
// many batches as it has partitions, whichever comes first.
import { AUTHORIZATION_ATTEMPTS_SQL } from './eventTypeSql';
import { type PaymentIdFilter, paymentIdHash } from './paymentIdFilter';
import { PAYMENT_INDEX_PARTS, PAYMENT_INDEX_PART_SEQS } from './paymentIndex';
import type { StatementCache } from './statementCache';

/** Partitions whose rows a batch writes at most (each reads its index rows: one partition's cost a batch). */
export const HASHED_PARTS_PER_BATCH = 1;

/** Bytes a hash takes in a row: a float64 (little-endian), which holds the 53 bits exactly. */
const HASH_BYTES = 8;

export class PaymentIdHashes {
  /** Sealed partitions without a row, oldest first; undefined: not looked for since the start (or a rollback, or a retention). */
  private unwritten: number[] | undefined;
  /** The partitions below this one were looked for (unwritten holds those found without a row). */
  private lookedBelow = 0;

  /** `kept`: the database has payment_id_hashes (migration 382); without it the filter is built from the index alone. */
  private constructor(
    private readonly sql: StatementCache,
    private readonly kept: boolean,
  ) {}

  /** Null without the payment index (migration 260): no ids to build the filter from. */
  static of(sql: StatementCache): PaymentIdHashes | null {
    if (!sql.hasTables('event_payment_index_state')) return null;
    return new PaymentIdHashes(sql, sql.hasTables('payment_id_hashes'));
  }

  /**
   * In the ingest transaction, after the payment index's seal (`sealed`: it moved the tail in):
   * writes the rows of at most HASHED_PARTS_PER_BATCH sealed partitions that have none.
   */
  writeDue(sealed: boolean): void {
    if (!this.kept) return;
    if (this.unwritten === undefined) {
      this.lookedBelow = this.sealedBelow();
      this.unwritten = this.sql
        .pluck(`SELECT p FROM (${PAYMENT_INDEX_PARTS}) WHERE p IS NOT NULL AND p < ? AND p NOT IN (SELECT part FROM payment_id_hashes) ORDER BY p`)
        .all(this.lookedBelow) as number[];
    } else if (sealed) {
      const below = this.sealedBelow();
      for (let p = this.lookedBelow; p < below; p++) this.unwritten.push(p);
      this.lookedBelow = Math.max(this.lookedBelow, below);
    }
    for (let n = 0; n < HASHED_PARTS_PER_BATCH && this.unwritten.length > 0; n++) {
      const p = this.unwritten.shift() as number;
      if (p < this.sealedBelow() && this.sql.pluck('SELECT 1 FROM payment_id_hashes WHERE part = ?').get(p) === undefined) this.write(p, this.hashesOfPart(p));
    }
  }

  /** The rows this session wrote may be gone (a rollback) or stale (a retention's deletes): looked for again at the next batch. */
  forget(): void {
    this.unwritten = undefined;
  }

  /**
   * Adds every payment id stored to `filter`: the rows' hashes for the partitions sealed to their
   * end, the index's ids for the others (writing the rows of the sealed ones), and the tail's
   * attempts. Rows of partitions a retention emptied are deleted.
   */
  fill(filter: PaymentIdFilter): void {
    const sealedBelow = this.sealedBelow();
    const parts = (this.sql.pluck(PAYMENT_INDEX_PARTS).all() as (number | null)[]).filter((p): p is number => p !== null);
    if (this.kept && parts.length > 0) this.sql.prepare('DELETE FROM payment_id_hashes WHERE part < ?').run(parts[0]);
    const rowOf = this.kept ? this.sql.pluck('SELECT hashes FROM payment_id_hashes WHERE part = ?') : null;
    for (const p of parts) {
      const row = p < sealedBelow ? (rowOf?.get(p) as unknown) : undefined;
      if (Buffer.isBuffer(row) && row.length % HASH_BYTES === 0) {
        for (let at = 0; at < row.length; at += HASH_BYTES) filter.addHash(row.readDoubleLE(at));
        continue;
      }
      const hashes = this.hashesOfPart(p);
      for (const h of hashes) filter.addHash(h);
      if (this.kept && p < sealedBelow) this.write(p, hashes);
    }
    const tail = this.sql.pluck(
      `SELECT payment_id FROM event_log WHERE seq > (SELECT through_seq FROM event_payment_index_state)
        AND type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND payment_id IS NOT NULL`,
    );
    for (const id of tail.iterate() as IterableIterator<string>) filter.add(id);
  }

  /** The partitions below this one are sealed to their end (through_seq at or past their last seq). */
  private sealedBelow(): number {
    const through = this.sql.pluck('SELECT through_seq FROM event_payment_index_state').get() as number | undefined;
    return Math.floor(((through ?? 0) + 1) / PAYMENT_INDEX_PART_SEQS);
  }

  /** The hashes of partition `p`'s payment ids, from the index (its key's order: DISTINCT needs no sort). */
  private hashesOfPart(p: number): number[] {
    const hashes: number[] = [];
    for (const id of this.sql.pluck('SELECT DISTINCT payment_id FROM event_payment_index WHERE part = ?').iterate(p) as IterableIterator<string>) hashes.push(paymentIdHash(id));
    return hashes;
  }

  private write(p: number, hashes: readonly number[]): void {
    const row = Buffer.allocUnsafe(hashes.length * HASH_BYTES);
    for (let i = 0; i < hashes.length; i++) row.writeDoubleLE(hashes[i], i * HASH_BYTES);
    this.sql.prepare('INSERT OR REPLACE INTO payment_id_hashes (part, hashes) VALUES (?, ?)').run(p, row);
  }
}
