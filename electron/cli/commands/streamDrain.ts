// When `replay --from-stream --drain` has read the stream to its end. Quiet alone is not an
// end: a loaded broker can stall deliveries for longer than --idle-ms. So when the stream's
// newest offset at the start is known (core/broker/streamEnd.ts) and this session reads from
// before it, the drain also waits until that offset is stored.

/** What the session looks like at a snapshot. */
export interface DrainView {
  /** Messages stored, duplicates and quarantined: grows with every message handled. */
  handled: number;
  connected: boolean;
  pendingBatch: number;
  /** The stored offset to resume from (everything before it is stored), or null. */
  storedNext: number | null;
}

/** Where the session starts reading: a stored offset, or the one asked for. */
export type DrainStart = { stored: true } | { asked: string | number | Date };

/**
 * The offset the drain must see stored, or null when only quiet can tell: the stream was
 * empty, or the session starts after its end ('next', a number past it) or at a time
 * (which offset that is, RabbitMQ does not say).
 */
export function drainTarget(end: number | null, start: DrainStart): number | null {
  if (end === null) return null;
  if ('stored' in start) return end;
  const asked = start.asked;
  if (asked === 'first' || asked === 'last') return end;
  if (typeof asked === 'number') return asked <= end ? end : null;
  return null;
}

export class StreamDrain {
  private handled = -1;
  private quietSince: number;

  constructor(
    private readonly target: number | null,
    private readonly idleMs: number,
    now = Date.now(),
  ) {
    this.quietSince = now;
  }

  /**
   * 'drained' once the target is stored and nothing has arrived for idleMs while consuming;
   * 'stalled' when quiet that long with the target not yet stored; else 'consuming'.
   */
  observe(v: DrainView, now = Date.now()): 'drained' | 'stalled' | 'consuming' {
    // Quiet counts only while consuming: a consumer still connecting (a slow, loaded or
    // restarting broker) or reconnecting has not seen the end of the stream.
    if (v.handled !== this.handled || v.pendingBatch > 0 || !v.connected) {
      this.handled = v.handled;
      this.quietSince = now;
      return 'consuming';
    }
    if (now - this.quietSince < this.idleMs) return 'consuming';
    return this.target !== null && (v.storedNext === null || v.storedNext <= this.target) ? 'stalled' : 'drained';
  }
}
