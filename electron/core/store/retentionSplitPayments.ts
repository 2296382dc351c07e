// Thread: the engine thread (the retention's, between ingest transactions).
// A payment is all the attempts of its paymentId, counted at its first (paymentOutcomes.ts). The
// retention deletes events and rollups before a cut: a payment with attempts on both sides had
// its count in a minute deleted while its later attempts stay, so the rollups kept read no
// payment where the events kept hold one (and a payment approved before the cut read as gone).
// Such a payment is counted again at its first attempt kept, approved if an attempt kept was:
// what SQL over the events kept, and the writer reading the payment back, make of it. The
// payments of the attempts each delete chunk takes are noted (in a temporary table, so a first
// retention over days of events holds none of them in memory), and after the deletes those that
// still have attempts stored are found through the payment index, however far after the cut
// those attempts are (a search within an hour either side of the cut missed a payment retried
// hours later).
import type { EventRepository } from './eventRepository';
import { AUTHORIZATION_ATTEMPTS_SQL } from './eventTypeSql';
import type { MinuteRollupBatch, MinuteRollupRepository } from './minuteRollupRepository';
import { PAYMENT_INDEX_PART_SEQS } from './paymentIndex';
import type { StatementCache } from './statementCache';

/** Noted payment ids read back per storedPayments call. */
const RECOUNT_PAGE = 2000;

/**
 * The noted payments that still have events stored, by one pass over the kept events' payment
 * ids (the payment index and its tail), each probing the noted table: cheaper than a lookup per
 * noted payment (a probe per partition) when a first retention deleted days of payments.
 */
const NOTED_STILL_STORED = `SELECT DISTINCT t.payment_id FROM event_payment_index AS i CROSS JOIN temp.retention_cut_payments AS t ON t.payment_id = i.payment_id
  UNION SELECT t.payment_id FROM event_log AS e CROSS JOIN temp.retention_cut_payments AS t ON t.payment_id = e.payment_id
    WHERE e.seq > (SELECT through_seq FROM event_payment_index_state)`;

/** The payments whose attempts a retention run deletes, noted chunk by chunk, counted again at their first attempt kept. */
export class SplitPayments {
  /** `scanAbove`: past this many index probes (noted payments x partitions), the kept events are scanned once instead (tests set it). */
  constructor(
    private readonly sql: StatementCache,
    private readonly scanAbove?: number,
  ) {
    sql.db.exec('CREATE TEMP TABLE IF NOT EXISTS retention_cut_payments (payment_id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.retention_cut_payments');
  }

  /** In a delete chunk's transaction, before its delete: the payments of the attempts among the rows of `seqs` (SQL, its `args`). */
  noteDeleting(seqs: string, args: unknown[]): void {
    this.sql
      .prepare(
        `INSERT OR IGNORE INTO temp.retention_cut_payments (payment_id) SELECT payment_id FROM event_log
          WHERE seq IN (${seqs}) AND type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND payment_id IS NOT NULL`,
      )
      .run(...args);
  }

  /** After the deletes (in their last transaction): each payment noted that still has attempts stored, counted at its first attempt kept. */
  recountKept(events: EventRepository, minutes: MinuteRollupRepository): void {
    const stillStored = this.stillStoredByScan();
    if (stillStored !== null) {
      const batch = minutes.batch();
      for (let i = 0; i < stillStored.length; i += RECOUNT_PAGE) this.addKept(events.storedPayments(stillStored.slice(i, i + RECOUNT_PAGE)), batch);
      batch.flush();
      this.sql.prepare('DELETE FROM temp.retention_cut_payments').run();
      return;
    }
    const first = this.sql.pluck('SELECT payment_id FROM temp.retention_cut_payments ORDER BY payment_id LIMIT ?');
    const next = this.sql.pluck('SELECT payment_id FROM temp.retention_cut_payments WHERE payment_id > ? ORDER BY payment_id LIMIT ?');
    const batch = minutes.batch();
    let after: string | null = null;
    for (;;) {
      const ids = (after === null ? first.all(RECOUNT_PAGE) : next.all(after, RECOUNT_PAGE)) as string[];
      if (ids.length === 0) break;
      this.addKept(events.storedPayments(ids), batch);
      after = ids[ids.length - 1];
    }
    batch.flush();
    this.sql.prepare('DELETE FROM temp.retention_cut_payments').run();
  }

  /** The noted payments still stored, by a scan of the kept events, when that costs less than a lookup of each (else null). */
  private stillStoredByScan(): string[] | null {
    if (!this.sql.hasTables('event_payment_index_state')) return null;
    const noted = this.sql.pluck('SELECT COUNT(*) FROM temp.retention_cut_payments').get() as number;
    const [minSeq, maxSeq] = this.sql.raw('SELECT MIN(seq), MAX(seq) FROM event_log').get() as [number | null, number | null];
    if (noted === 0 || minSeq === null || maxSeq === null) return null;
    const probes = noted * (Math.floor(maxSeq / PAYMENT_INDEX_PART_SEQS) - Math.floor(minSeq / PAYMENT_INDEX_PART_SEQS) + 1);
    if (probes <= (this.scanAbove ?? maxSeq - minSeq + 1)) return null;
    return this.sql.pluck(NOTED_STILL_STORED).all() as string[];
  }

  private addKept(rows: Iterable<readonly [string, number, number]>, batch: MinuteRollupBatch): void {
    for (const [, startMs, approved] of rows) {
      const sec = Math.floor(startMs / 1000);
      batch.addPayment(sec, 'started', 1);
      if (approved === 1) batch.addPayment(sec, 'approved', 1);
    }
  }
}
