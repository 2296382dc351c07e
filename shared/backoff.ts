// The one retry backoff of payops: the broker consumer, the renderer's WebSocket and the ingest
// pipeline's retry of a refused batch all wait backoffDelay(n) before retry n. Exponential from initialMs,
// jittered by ±jitter so that many clients do not retry in step, and never above maxMs.
// Pure: no Node or browser API (shared/ imports nothing).

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  initialMs: number;
  /** No delay is longer than this, jitter included. */
  maxMs: number;
  /** 0..1: the delay is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

/** The console's reconnect to its host (the renderer's WebSocket). */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000, jitter: 0.2 };

/** Delay before retry `attempt` (1 for the first retry; lower counts as 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  // 2^30 times any sane initialMs is past every maxMs: stop doubling there (no Infinity).
  const doublings = Math.min(Math.max(1, Math.floor(attempt)) - 1, 30);
  const base = Math.min(opts.maxMs, opts.initialMs * 2 ** doublings);
  const jittered = base * (1 + opts.jitter * (random() * 2 - 1));
  return Math.round(Math.min(opts.maxMs, Math.max(0, jittered)));
}
