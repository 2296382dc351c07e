// A payment's story: every event (payment and risk) sharing its payment id, in event-time
// order, with the time between steps. Served by the events_payment index.
import type { PaymentTimeline, TimelineStep } from '../../../shared/explorer';
import type { ReadStore } from '../store/store';

export const TIMELINE_MAX_STEPS = 1000;

export function paymentTimeline(store: ReadStore, paymentId: string): PaymentTimeline {
  const rows = store.events.ofPayment(paymentId, TIMELINE_MAX_STEPS + 1);
  const truncated = rows.length > TIMELINE_MAX_STEPS;
  const kept = rows.slice(0, TIMELINE_MAX_STEPS);
  const start = kept[0]?.timeMs ?? 0;
  const steps: TimelineStep[] = kept.map((r, i) => ({
    ...r,
    sinceStartMs: r.timeMs - start,
    sincePreviousMs: i === 0 ? null : r.timeMs - kept[i - 1].timeMs,
  }));
  return {
    paymentId,
    steps,
    durationMs: kept.length ? kept[kept.length - 1].timeMs - start : 0,
    truncated,
  };
}
