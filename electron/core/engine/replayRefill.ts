// Thread: the engine thread.
// A replay's live windows after its clock went back (a backward seek). The windows (LiveMetrics)
// are fed by commits, and a backward seek pushes no line already stored again: after a seek
// further back than the 15 minutes they keep, every live figure read empty (0 events/s, no
// approval, no last event) while the clock was paced over a stretch full of traffic. Here they
// are filled from the store instead: at the seek, with what was stored up to the new clock (the
// arrival windows with what arrived in their 2 minutes, however old its event time), and, while
// the clock is behind the events handled, with the events of each stretch it passes, as commits
// would have filled them had the replay reached it from the start.
import { ARRIVAL_KEEP_SECONDS, LATE_AFTER_MS } from '../metrics/arrivalMetrics';
import { lagBinSql } from '../metrics/lagBins';
import { KEEP_SECONDS, type LiveMetrics } from '../metrics/liveMetrics';
import { AUTHORIZATION_ATTEMPT_TYPES } from '../store/eventTypeSql';
import type { LiveWindowEvent } from '../store/eventRepository';
import { PaymentOutcomes } from '../store/paymentOutcomes';
import type { RollupCell } from '../store/rollupRepository';
import type { Store } from '../store/store';

const ATTEMPTS: ReadonlySet<string> = new Set(AUTHORIZATION_ATTEMPT_TYPES);
/**
 * The seconds before the clock whose payments (one minute read, a minute more for a payment's
 * earlier attempts) and newest arrivals are read from the stored events at a seek; the arrival
 * windows are read by arrival (the 2 minutes before the arrival clock), the counts by type and
 * authorized amounts of all 15 minutes from the per-second rollups.
 */
export const EVENT_FILL_SECONDS = 180;
/** The seconds before the clock whose payments the live figures read (the last minute's approval per payment). */
const PAYMENT_WINDOW_SECONDS = 60;
/** The seconds before the clock whose scores the live figures read (the risk score p95). */
const SCORE_SECONDS = 60;

export class ReplayRefill {
  /** The replay clock at the last read, to see it go back. */
  private lastClock: number | null = null;
  /** Approval per payment of the events filled from the store, as the writer counted them at their commits. */
  private payments: PaymentOutcomes | null = null;

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
    // A clock far past the last fill (a forward seek, or racing on at max, over the stored
    // stretch) is filled as a seek there is: adding each event on the way read every event
    // on the way one by one (16 minutes of them for a jump of 16 minutes).
    if (back || (m.storedThrough !== null && readAt - m.storedThrough > EVENT_FILL_SECONDS * 1000)) this.refill(readAt);
    else if (m.storedThrough !== null && readAt > m.storedThrough) this.fill(m.storedThrough, readAt);
    // Back at the newest event handled: commits feed the windows again, as before the seek.
    if (m.storedThrough !== null && (m.watermark === null || readAt >= m.watermark)) {
      m.storedThrough = null;
      this.payments = null;
    }
  }

  /**
   * The windows emptied and filled again for a clock gone back to `readAt`. Counted by SQLite, a
   * row per second, payment or score (store/storedLiveWindows.ts), except the clock's own second,
   * which the next reads add to event by event: every whole second of the 15 minutes from the
   * rollups (counts by type, authorized amounts); the scores of the minute before the clock; the
   * newest arrival per second and the payments of the EVENT_FILL_SECONDS before it; and the arrival
   * windows with what arrived in the 2 minutes before the arrival clock, however old (a backlog).
   */
  private refill(readAt: number): void {
    const m = this.metrics;
    const reads = this.store.events.liveWindows;
    m.clearWindows();
    // Payments are looked up (below, and as the clock is paced on): through the index, not a
    // scan of every event a replay stored before it (its seals are deferred to its end).
    this.store.sealPaymentIndexTail();
    const payments = (this.payments = new PaymentOutcomes());
    const endSec = Math.floor(readAt / 1000);
    const endMs = endSec * 1000;
    const keptFromSec = endSec - KEEP_SECONDS;
    const eventsFromSec = Math.max(keptFromSec, endSec - EVENT_FILL_SECONDS);
    const after = eventsFromSec * 1000 - 1;
    m.addStoredCells(this.store.rollups.liveWindowCells(keptFromSec, endSec));
    m.addStoredScores(reads.scores(endMs - SCORE_SECONDS * 1000, endMs));
    const newest = reads.newestArrivalsBySecond(after, endMs);
    m.addStoredNewestArrivals(newest);
    const cells: RollupCell[] = [];
    const emit = (sec: number, key: 'started' | 'approved', count: number): void => {
      cells.push({ sec, dim: 'payment', key, count, amount: 0 });
    };
    // A payment of the minute the figures read may have begun before the attempts read (a retry,
    // minutes or hours after its first attempt): its earlier attempts are read back first, or it
    // read as a payment started at its retry where a straight replay counted it at its start.
    const ranged = reads.payments(after, readAt);
    const windowFromMs = (endSec - PAYMENT_WINDOW_SECONDS) * 1000;
    const recent = ranged.filter(([paymentId, timeMs]) => paymentId !== null && timeMs >= windowFromMs).map(([paymentId]) => paymentId as string);
    // As a writer's batch: none read back is let go before the attempts after it are observed.
    payments.beginBatch();
    payments.recallStored(this.store.events.storedPayments(recent, after));
    for (const [paymentId, timeMs, approved] of ranged) payments.observe(paymentId, timeMs, approved === 1, emit);
    payments.endBatch();
    // The attempts up to `after` were not read: a payment not held is looked up as the clock moves on (fill).
    payments.forgottenBefore(after);
    m.addStoredPayments(cells);
    let clockSecondHeld = false;
    m.addStoredByTime(marked(this.store.events.forLiveWindows(endMs - 1, readAt), () => (clockSecondHeld = true)));
    m.storedThrough = readAt;
    // Nothing stored in those last seconds: "last event" is the newest of the older ones.
    if (newest.length === 0 && !clockSecondHeld) {
      const older = this.store.events.newestIn(keptFromSec * 1000, eventsFromSec * 1000);
      if (older) m.noteStoredArrival(older.timeMs, older.arrivalMs);
    }
    const lateArrival = reads.newestLateArrival(readAt);
    if (lateArrival !== null) m.noteStoredArrivedBy(lateArrival);
    const arrivalClock = m.replayArrivalClock(readAt);
    const arrivalFrom = (Math.floor(arrivalClock / 1000) - ARRIVAL_KEEP_SECONDS) * 1000;
    m.addStoredArrivals(reads.arrivals(readAt, arrivalFrom, arrivalClock, { lagBinSql, lateAfterMs: LATE_AFTER_MS }));
  }

  /** The events stored in (after, through] into the windows, and the payments they start or approve. */
  private fill(after: number, through: number): void {
    const cells: RollupCell[] = [];
    const payments = this.payments ?? (this.payments = new PaymentOutcomes());
    const emit = (sec: number, key: 'started' | 'approved', count: number): void => {
      cells.push({ sec, dim: 'payment', key, count, amount: 0 });
    };
    const events = [...this.store.events.forLiveWindows(after, through)];
    // A payment not held whose attempt this is may have begun before (a retry long after, saying
    // so or not, or one the memory let go): its attempts up to `after` are read back first, as
    // the writer reads back those its filter of stored ids may hold (here every id met is stored).
    const wanted = new Set<string>();
    for (const e of events) if (ATTEMPTS.has(e.type) && payments.mayBeForgotten(e.paymentId)) wanted.add(e.paymentId as string);
    payments.beginBatch();
    if (wanted.size > 0) payments.recallStored(this.store.events.storedPayments([...wanted], after));
    this.metrics.addStored(withPayments(events, payments, emit));
    payments.endBatch();
    this.metrics.addStoredPayments(cells);
    this.metrics.storedThrough = through;
  }
}

/** The events as they are, each authorization attempt also told to `payments` (the writer's count). */
function* withPayments(
  events: Iterable<LiveWindowEvent>,
  payments: PaymentOutcomes,
  emit: (sec: number, key: 'started' | 'approved', count: number) => void,
): Iterable<LiveWindowEvent> {
  for (const e of events) {
    if (ATTEMPTS.has(e.type)) payments.observe(e.paymentId, e.timeMs, e.type === 'payment.authorized', emit, e.arrivalMs);
    yield e;
  }
}

/** The events as they are, `read` told when there is one. */
function* marked<T>(events: Iterable<T>, read: () => void): Iterable<T> {
  for (const e of events) {
    read();
    yield e;
  }
}
