// Thread: the engine thread (the writer's, inside the ingest transaction).
// Approval per payment, as Stripe's deduplicated rate reads it: the authorization attempts
// (payment.authorized, .declined, .failed) of one paymentId are one payment, however far apart
// (a PaymentIntent keeps every attempt, and smart retries come days later), started at its
// earliest attempt and approved if any attempt was. A payment whose attempts all failed (an
// acquirer timing out) is a payment not approved, as per attempt counts failures. Both are
// counted at the payment's start second, so a window's per-payment approval is "of the
// payments started in it, the share approved" and never exceeds 1.
// The last hour of payments is kept in memory; the writer asks the store for a payment it no
// longer remembers when an attempt says it is a retry (`attempt` >= 2), is older than what
// memory still covers (wantsStored, recall), or, saying nothing, is of a payment id that a
// filter of the ids stored says may be one (mayBeForgotten, the writer's PaymentIdFilter).

/** Payments remembered at most: ~85 bytes each (52 for the Map entry, measured, and the id string it keeps). */
export const PAYMENT_MEMORY = 200_000;
/** A payment is forgotten once the newest event time is this far past its start. */
export const PAYMENT_HORIZON_MS = 3_600_000;

/**
 * How far past its arrival an event's time may move the forgetting clock: a producer's clock a
 * few minutes fast, well within the horizon. (A replay's arrival is the recorded one, else the
 * event time: a function of the capture, so replays stay deterministic.)
 */
export const PAYMENT_CLOCK_AHEAD_MS = 300_000;

export type PaymentCellKey = 'started' | 'approved';
/** A change to the per-second payment counts: +1 on a new payment, -1/+1 when a start moves earlier. */
export type PaymentEmit = (sec: number, key: PaymentCellKey, delta: number) => void;

/**
 * The payments of the last hour (at most PAYMENT_MEMORY of them), each as its start second and
 * whether it was approved. A payment forgotten is recalled from the store (recall) for the
 * attempts wantsStored names, and, in the writer, for those of ids its filter of stored
 * payments may hold (mayBeForgotten): a retry without `attempt` more than the memory's reach
 * after its payment began. Without that filter (a replay's refill), such a retry counts as a
 * new payment.
 */
export class PaymentOutcomes {
  /** paymentId -> startSec * 2 + approved (a small integer, no object per payment). */
  private readonly known = new Map<string, number>();
  /** The newest attempt's second (-Infinity before the first: event times before 1970 are negative). */
  private newestSec = -Infinity;
  /** A writer's batch is under way: nothing is forgotten before it ends (endBatch). */
  private inBatch = false;
  /** The latest start second of a payment forgotten (or never read back at a restart): older attempts may belong to one. */
  private forgottenThroughSec = -Infinity;

  constructor(
    private readonly memory = PAYMENT_MEMORY,
    private readonly horizonSec = PAYMENT_HORIZON_MS / 1000,
  ) {}

  get size(): number {
    return this.known.size;
  }

  /**
   * A newly stored attempt (authorized, declined or failed) of `paymentId` at `timeMs`, arrived
   * at `arrivalMs`; `emit` receives what the rollups gain. Its time moves the clock that
   * payments are forgotten by at most PAYMENT_CLOCK_AHEAD_MS past its arrival: an event stamped
   * years ahead (a producer's wrong clock, which the store keeps) made every payment under way
   * forgotten at once, and each retry a payment of its own.
   */
  observe(paymentId: string | null, timeMs: number, approved: boolean, emit: PaymentEmit, arrivalMs = timeMs): void {
    const sec = Math.floor(timeMs / 1000);
    if (paymentId === null) {
      // The contract requires a paymentId; without one the attempt is a payment of its own.
      emit(sec, 'started', 1);
      if (approved) emit(sec, 'approved', 1);
      return;
    }
    const state = this.known.get(paymentId);
    if (state === undefined) {
      emit(sec, 'started', 1);
      if (approved) emit(sec, 'approved', 1);
      this.known.set(paymentId, sec * 2 + (approved ? 1 : 0));
      const clockSec = Math.floor(Math.min(timeMs, arrivalMs + PAYMENT_CLOCK_AHEAD_MS) / 1000);
      if (clockSec > this.newestSec) this.newestSec = clockSec;
      if (!this.inBatch) this.forget();
      return;
    }
    const start = Math.floor(state / 2);
    // Not `state % 2`: a second before 1970 is negative, and so is its remainder (-1).
    const was = state - start * 2 === 1;
    // An earlier attempt that arrived late moves the payment (and its approval) to its own second.
    const begins = Math.min(start, sec);
    if (begins < start) {
      emit(start, 'started', -1);
      emit(begins, 'started', 1);
      if (was) {
        emit(start, 'approved', -1);
        emit(begins, 'approved', 1);
      }
    }
    if (approved && !was) emit(begins, 'approved', 1);
    this.known.set(paymentId, begins * 2 + (was || approved ? 1 : 0));
  }

  /**
   * Whether an attempt of `paymentId` at `timeMs` may belong to a payment the memory no longer
   * holds, so its stored attempts must be read (recall) before it is observed: the attempt says
   * it is a retry, or it is no later than a payment forgotten began.
   */
  wantsStored(paymentId: string | null, timeMs: number, attempt: number | null): boolean {
    if (paymentId === null || this.known.has(paymentId)) return false;
    return (attempt !== null && attempt >= 2) || Math.floor(timeMs / 1000) <= this.forgottenThroughSec;
  }

  /**
   * Whether `paymentId` may be a payment the memory let go (or never read back at a restart):
   * not held, once any was. The writer then asks its filter of the payment ids stored
   * (PaymentIdFilter), as a retry without `attempt` says nothing of itself.
   */
  mayBeForgotten(paymentId: string | null): boolean {
    return paymentId !== null && this.forgottenThroughSec !== -Infinity && !this.known.has(paymentId);
  }

  /**
   * A writer's batch begins: the payments its attempts ask for were recalled before it (the
   * store as it was), so none may be forgotten until it ends, or a retry after a payment
   * forgotten within the batch would count as a payment of its own. The memory may hold a batch
   * more than its bound meanwhile.
   */
  beginBatch(): void {
    this.inBatch = true;
  }

  endBatch(): void {
    this.inBatch = false;
    this.forget();
  }

  /** A payment read back from the store (its earliest stored attempt, and whether one was approved), as the rollups count it. */
  recall(paymentId: string, startMs: number, approved: boolean): void {
    if (this.known.has(paymentId)) return;
    this.known.set(paymentId, Math.floor(startMs / 1000) * 2 + (approved ? 1 : 0));
  }

  /** Payments read back from the store (EventRepository.storedPayments' rows: id, earliest attempt, 1 when one was approved). */
  recallStored(rows: Iterable<readonly [paymentId: string, startMs: number, approved: number]>): void {
    for (const [paymentId, startMs, approved] of rows) this.recall(paymentId, startMs, approved === 1);
  }

  /** Attempts before `timeMs` were not read back (a restart reads the last hour): their payments are as forgotten. */
  forgottenBefore(timeMs: number): void {
    this.forgottenThroughSec = Math.max(this.forgottenThroughSec, Math.floor(timeMs / 1000));
  }

  /** Remembers an attempt already stored (a restart), emitting nothing. */
  remember(paymentId: string, timeMs: number, approved: boolean): void {
    this.observe(paymentId, timeMs, approved, () => {});
  }

  /** Drops the oldest payments past the bound or the horizon (insertion order is arrival order). */
  private forget(): void {
    const cut = this.newestSec - this.horizonSec;
    for (const [id, state] of this.known) {
      const start = Math.floor(state / 2);
      if (this.known.size <= this.memory && start >= cut) break;
      this.known.delete(id);
      if (start > this.forgottenThroughSec) this.forgottenThroughSec = start;
    }
  }
}
