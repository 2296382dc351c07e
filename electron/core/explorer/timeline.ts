// A payment's story: every event (payment and risk) sharing its payment id, in event-time
// order, with the time between steps. Served by the events_payment index.
import type { Database } from 'better-sqlite3';
import type { PaymentTimeline, TimelineStep } from '../../../shared/explorer';
import { EVENT_ROW_COLUMNS, toEventRow, type EventRowRaw } from './eventQuery';

export const TIMELINE_MAX_STEPS = 1000;

export function paymentTimeline(db: Database, paymentId: string): PaymentTimeline {
  const rows = db
    .prepare(
      `SELECT ${EVENT_ROW_COLUMNS} FROM events INDEXED BY events_payment WHERE payment_id = ?
       ORDER BY time_ms, seq LIMIT ${TIMELINE_MAX_STEPS + 1}`,
    )
    .all(paymentId) as EventRowRaw[];
  const truncated = rows.length > TIMELINE_MAX_STEPS;
  const kept = rows.slice(0, TIMELINE_MAX_STEPS);
  const start = kept[0]?.time_ms ?? 0;
  const steps: TimelineStep[] = kept.map((r, i) => ({
    ...toEventRow(r),
    sinceStartMs: r.time_ms - start,
    sincePreviousMs: i === 0 ? null : r.time_ms - kept[i - 1].time_ms,
  }));
  return {
    paymentId,
    steps,
    durationMs: kept.length ? kept[kept.length - 1].time_ms - start : 0,
    truncated,
  };
}
