/**
 * Paces traffic in batches: each tick asks for tokens and sends that many events, so one
 * timer serves any rate (a timer per message cannot fire 10k times a second). The
 * bucket holds at most `capacity` tokens, so a pause (a slow broker, a blocked
 * pipeline, a sleeping laptop) is not followed by an unbounded burst.
 */
export class TokenBucket {
  private tokens = 0;
  private lastMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    nowMs: number,
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`rate must be a positive number of events per second (got ${ratePerSecond})`);
    }
    this.lastMs = nowMs;
  }

  /** Refills for the time since the last call and hands out up to `max` whole tokens. */
  take(nowMs: number, max = Infinity): number {
    this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, nowMs - this.lastMs) * this.ratePerSecond) / 1000);
    this.lastMs = nowMs;
    const granted = Math.max(0, Math.min(Math.floor(this.tokens), max));
    this.tokens -= granted;
    return granted;
  }

  /** Forgets saved-up tokens (while traffic is stalled or blocked, nothing accumulates). */
  drainTo(nowMs: number): void {
    this.tokens = 0;
    this.lastMs = nowMs;
  }

  /** Gives back tokens that were granted but not used (the channel asked to wait). */
  refund(count: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + count);
  }
}
