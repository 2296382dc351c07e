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
import type { MinuteRollupRepository } from './minuteRollupRepository';
import type { StatementCache } from './statementCache';

/** Noted payment ids read back per storedPayments call. */
const RECOUNT_PAGE = 2000;

/** The payments whose attempts a retention run deletes, noted chunk by chunk, counted again at their first attempt kept. */
export class SplitPayments {
  constructor(private readonly sql: StatementCache) {
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
    const first = this.sql.pluck('SELECT payment_id FROM temp.retention_cut_payments ORDER BY payment_id LIMIT ?');
    const next = this.sql.pluck('SELECT payment_id FROM temp.retention_cut_payments WHERE payment_id > ? ORDER BY payment_id LIMIT ?');
    const batch = minutes.batch();
    let after: string | null = null;
    for (;;) {
      const ids = (after === null ? first.all(RECOUNT_PAGE) : next.all(after, RECOUNT_PAGE)) as string[];
      if (ids.length === 0) break;
      for (const [, startMs, approved] of events.storedPayments(ids)) {
        const sec = Math.floor(startMs / 1000);
        batch.addPayment(sec, 'started', 1);
        if (approved === 1) batch.addPayment(sec, 'approved', 1);
      }
      after = ids[ids.length - 1];
    }
    batch.flush();
    this.sql.prepare('DELETE FROM temp.retention_cut_payments').run();
  }
}
