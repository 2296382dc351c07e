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

export class LiveClock {
  private readonly startedAt: number;
  private lastInputAt: number | null = null;
  private newestEventMs: number | null = null;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** A committed batch with events; `watermark`: the newest event time seen so far. */
  observe(watermark: number | null): void {
    this.lastInputAt = this.now();
    if (watermark !== null && (this.newestEventMs === null || watermark > this.newestEventMs)) this.newestEventMs = watermark;
  }

  /**
   * The wall time to move the clock to, or null while the events drive it: a backlog draining,
   * or the first moments after the start, when a queue's backlog may be about to arrive.
   */
  wallTarget(): number | null {
    const now = this.now();
    if (now - (this.lastInputAt ?? this.startedAt) >= IDLE_INPUT_MS) return now;
    if (this.newestEventMs === null) return null;
    return now - this.newestEventMs > BACKLOG_LAG_MS ? null : now;
  }
}
