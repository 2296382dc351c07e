// Thread: the engine thread.
// A replay's live windows after its clock went back (a backward seek). The windows (LiveMetrics)
// are fed by commits, and a backward seek pushes no line already stored again: after a seek
// further back than the 15 minutes they keep, every live figure read empty (0 events/s, no
// approval, no last event) while the clock was paced over a stretch full of traffic. Here they
// are filled from the store instead: at the seek, with the events stored in the 15 minutes
// before the new clock, and, while the clock is behind the events handled, with those of each
// stretch it passes, as commits would have filled them had the replay reached it from the start.
import { KEEP_SECONDS, type LiveMetrics } from '../metrics/liveMetrics';
import { AUTHORIZATION_ATTEMPT_TYPES } from '../store/eventTypeSql';
import type { LiveWindowEvent } from '../store/eventRepository';
import { PaymentOutcomes } from '../store/paymentOutcomes';
import type { RollupCell } from '../store/rollupRepository';
import type { Store } from '../store/store';

const ATTEMPTS: ReadonlySet<string> = new Set(AUTHORIZATION_ATTEMPT_TYPES);
/**
 * Of the 15 minutes filled at a seek, the seconds before the clock filled from the stored events
 * themselves: the arrival figures read 120 s of arrivals, the scores, lag and payments one minute
 * (with a minute more for a payment's earlier attempts). The older seconds are filled from the
 * per-second rollups (counts by type, authorized amounts): the events of 15 minutes cost ~5 us
 * each to read, 5.7 s at 1,000 events/s.
 */
export const EVENT_FILL_SECONDS = 180;

export class ReplayRefill {
  /** The replay clock at the last read, to see it go back. */
  private lastClock: number | null = null;
  /** Approval per payment of the events filled from the store, as the writer counted them at their commits. */
  private payments: PaymentOutcomes | null = null;
  /** Whether the last fill read any event. */
  private filledAny = false;

  constructor(
    private readonly store: Store,
    private readonly metrics: LiveMetrics,
  ) {}

  /**
   * Before the windows are read at `readAt` (a snapshot's clock, at most the replay's clock
   * `replayClock`): refilled when the replay clock went back since the last read, topped up to
   * `readAt` while it is behind the events handled.
   */
  beforeRead(readAt: number, replayClock: number): void {
    const back = this.lastClock !== null && replayClock < this.lastClock;
    this.lastClock = replayClock;
    const m = this.metrics;
    if (back) {
      m.clearWindows();
      this.payments = new PaymentOutcomes();
      // The seconds the windows keep at this clock (LiveMetrics.figures evicts the older): the
      // older from the rollups, the last EVENT_FILL_SECONDS from the events.
      const endSec = Math.floor(readAt / 1000);
      const eventsFromSec = Math.max(endSec - KEEP_SECONDS, endSec - EVENT_FILL_SECONDS);
      m.addStoredCells(this.store.rollups.liveWindowCells(endSec - KEEP_SECONDS, eventsFromSec));
      this.fill(eventsFromSec * 1000 - 1, readAt);
      // Nothing stored in those last seconds: "last event" is the newest of the older ones.
      if (this.filledAny === false) {
        const newest = this.store.events.newestIn((endSec - KEEP_SECONDS) * 1000, eventsFromSec * 1000);
        if (newest) m.noteStoredArrival(newest.timeMs, newest.arrivalMs);
      }
    } else if (m.storedThrough !== null && readAt > m.storedThrough) {
      this.fill(m.storedThrough, readAt);
    }
    // Back at the newest event handled: commits feed the windows again, as before the seek.
    if (m.storedThrough !== null && (m.watermark === null || readAt >= m.watermark)) {
      m.storedThrough = null;
      this.payments = null;
    }
  }

  /** The events stored in (after, through] into the windows, and the payments they start or approve. */
  private fill(after: number, through: number): void {
    const cells: RollupCell[] = [];
    const payments = this.payments ?? (this.payments = new PaymentOutcomes());
    const emit = (sec: number, key: 'started' | 'approved', count: number): void => {
      cells.push({ sec, dim: 'payment', key, count, amount: 0 });
    };
    const events = this.store.events.forLiveWindows(after, through);
    this.filledAny = false;
    this.metrics.addStored(withPayments(events, payments, emit, () => (this.filledAny = true)));
    this.metrics.addStoredPayments(cells);
    this.metrics.storedThrough = through;
  }
}

/** The events as they are, each authorization attempt also told to `payments` (the writer's count). */
function* withPayments(
  events: Iterable<LiveWindowEvent>,
  payments: PaymentOutcomes,
  emit: (sec: number, key: 'started' | 'approved', count: number) => void,
  read: () => void,
): Iterable<LiveWindowEvent> {
  for (const e of events) {
    read();
    if (ATTEMPTS.has(e.type)) payments.observe(e.paymentId, e.timeMs, e.type === 'payment.authorized', emit, e.arrivalMs);
    yield e;
  }
}
