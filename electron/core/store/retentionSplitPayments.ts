// Thread: the engine thread (the retention's, between ingest transactions).
// A payment is all the attempts of its paymentId, counted at its first (paymentOutcomes.ts). The
// retention deletes events and rollups before a cut: a payment with attempts on both sides had
// its count in a minute deleted while its later attempts stay, so the rollups kept read no
// payment where the events kept hold one (and a payment approved before the cut read as gone).
// Such a payment is counted again at its first attempt kept, approved if an attempt kept was:
// what SQL over the events kept, and the writer reading the payment back, make of it. Payments
// are looked for among the attempts within PAYMENT_HORIZON_MS either side of the cut (a bounded
// read, through the time index); one whose attempts on the two sides are further apart than
// that is not found (README, "Rollups").
import type { EventRepository } from './eventRepository';
import { AUTHORIZATION_ATTEMPTS_SQL } from './eventTypeSql';
import type { MinuteRollupRepository } from './minuteRollupRepository';
import { PAYMENT_HORIZON_MS } from './paymentOutcomes';
import type { StatementCache } from './statementCache';

const ATTEMPTS_IN = `SELECT payment_id FROM event_log INDEXED BY event_log_time
  WHERE time_ms >= ? AND time_ms < ? AND type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND payment_id IS NOT NULL`;

/** Before the deletes: the payments with an attempt within the horizon before `cutMs` and one within it after. */
export function paymentsAcross(sql: StatementCache, cutMs: number): string[] {
  return sql.prepare(`${ATTEMPTS_IN} INTERSECT ${ATTEMPTS_IN}`).pluck().all(cutMs - PAYMENT_HORIZON_MS, cutMs, cutMs, cutMs + PAYMENT_HORIZON_MS) as string[];
}

/** After the deletes (in their last transaction): each payment of `paymentIds` counted at its first attempt kept. */
export function recountKeptPayments(paymentIds: readonly string[], events: EventRepository, minutes: MinuteRollupRepository): void {
  if (paymentIds.length === 0) return;
  const batch = minutes.batch();
  for (const [, startMs, approved] of events.storedPayments(paymentIds)) {
    const sec = Math.floor(startMs / 1000);
    batch.addPayment(sec, 'started', 1);
    if (approved === 1) batch.addPayment(sec, 'approved', 1);
  }
  batch.flush();
}
