// When a live alerting session follows the wall clock. Events move an evaluator's clock by their
// own time; once a second a live session also moves it to wall time, so that "no data" fires
// when nothing arrives. While a backlog drains (a collector restarted on a queue that kept
// minutes of traffic), the events arriving are far behind the wall clock: moving to wall time
// would decide their ticks before they arrive: a false traffic-stopped, and an incident inside
// the backlog never judged. So wall time is followed only when the input is idle or caught up,
// as a stream processor's watermark follows the wall clock only for an idle source.

/** Input this far behind the wall clock is a backlog draining: its own times drive the clock. */
export const BACKLOG_LAG_MS = 10_000;
/** No batch for this long (or since the start): the input is idle, and wall time is followed. */
export const IDLE_INPUT_MS = 10_000;

import { MAX_AHEAD_OF_WALL_CLOCK_MS } from './wrongClock';

export class LiveClock {
  private readonly startedAt: number;
  private lastInputAt: number | null = null;
  private newestEventMs: number | null = null;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /**
   * A committed batch with events; `newest`: the newest of their times. A time past the wall
   * clock by more than MAX_AHEAD_OF_WALL_CLOCK_MS comes from a wrong clock (the evaluator ignores
   * such events too): kept, it would read as caught up for good, and a backlog drained after it
   * would be judged on wall time (dropped as late, a false traffic-stopped).
   */
  observe(newest: number | null): void {
    const now = this.now();
    this.lastInputAt = now;
    if (newest === null || newest > now + MAX_AHEAD_OF_WALL_CLOCK_MS) return;
    if (this.newestEventMs === null || newest > this.newestEventMs) this.newestEventMs = newest;
  }

  /**
   * The wall time to move the clock to, or null while the events drive it: a backlog draining,
   * or the first moments after the start, when a queue's backlog may be about to arrive.
   */
  /** A committed batch: its newest event time that is not from a wrong clock. */
  observeEvents(events: readonly { timeMs: number | null }[]): void {
    const limit = this.now() + MAX_AHEAD_OF_WALL_CLOCK_MS;
    let newest: number | null = null;
    for (const { timeMs: t } of events) if (t !== null && t <= limit && (newest === null || t > newest)) newest = t;
    this.observe(newest);
  }

  wallTarget(): number | null {
    const now = this.now();
    if (now - (this.lastInputAt ?? this.startedAt) >= IDLE_INPUT_MS) return now;
    if (this.newestEventMs === null) return null;
    return now - this.newestEventMs > BACKLOG_LAG_MS ? null : now;
  }
}
