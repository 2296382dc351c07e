import { KNOWN_TYPES, type KnownType } from '../../../shared/events/eventTypes';

// Counts by event type, here and in the alert evaluator's rings (alerts/eventCounters.ts):
// one slot per known type, and one for every other type.
export const TYPE_KEYS: readonly (KnownType | 'unknown')[] = [...KNOWN_TYPES, 'unknown'];
export const TYPE_INDEX: ReadonlyMap<string, number> = new Map<string, number>(TYPE_KEYS.map((t, i) => [t, i]));
export const TYPE_SLOTS = TYPE_KEYS.length;
export const UNKNOWN_INDEX = TYPE_KEYS.length - 1;

export function typeIndex(type: string): number {
  return TYPE_INDEX.get(type) ?? UNKNOWN_INDEX;
}

/** The slots the rates read (the live figures, the alert readings): looked up once, not by name per read. */
export const RATE_SLOTS = {
  authorized: typeIndex('payment.authorized'),
  declined: typeIndex('payment.declined'),
  failed: typeIndex('payment.failed'),
  scored: typeIndex('risk.scored'),
  flagged: typeIndex('risk.flagged'),
  blocked: typeIndex('risk.blocked'),
} as const;

/** Counts for one second of event time. Score histogram has one bin per score point (0-100). */
export class SecondBucket {
  readonly byType = new Uint32Array(TYPE_KEYS.length);
  scores: Uint32Array | null = null;
  /** Payments started this second, and those of them approved (a late earlier attempt moves them). */
  paymentsStarted = 0;
  paymentsApproved = 0;
  /** The newest recorded arrival of this second's events: a replay sought back reads its arrival figures there. */
  newestArrival: number | null = null;
  constructor(readonly sec: number) {}

  /** Authorized amounts per currency ([count, sum of minor units]); never added across currencies. */
  authorized: Map<string, [number, number]> | null = null;

  addScore(score: number): void {
    this.scores ??= new Uint32Array(101);
    this.scores[Math.max(0, Math.min(100, Math.round(score)))] += 1;
  }

  addAuthorized(currency: string, amount: number): void {
    this.authorized ??= new Map();
    const cell = this.authorized.get(currency);
    if (cell) {
      cell[0] += 1;
      cell[1] += amount;
    } else this.authorized.set(currency, [1, amount]);
  }
}

/** A bounded ring of per-second buckets keyed by epoch second; older seconds are evicted. */
export class SecondRing {
  private readonly buckets = new Map<number, SecondBucket>();
  constructor(private readonly keepSeconds: number) {}

  bucket(sec: number, nowSec: number): SecondBucket | null {
    if (sec <= nowSec - this.keepSeconds || sec > nowSec + 60) return null;
    return this.at(sec);
  }

  /** The bucket of `sec`, made if missing, whatever the present (a refill from the store). */
  at(sec: number): SecondBucket {
    let b = this.buckets.get(sec);
    if (!b) {
      b = new SecondBucket(sec);
      this.buckets.set(sec, b);
    }
    return b;
  }

  get size(): number {
    return this.buckets.size;
  }

  get(sec: number): SecondBucket | undefined {
    return this.buckets.get(sec);
  }

  evictBefore(sec: number): void {
    for (const key of this.buckets.keys()) if (key < sec) this.buckets.delete(key);
  }

  /** Buckets with from <= sec < to. */
  *range(from: number, to: number): Iterable<SecondBucket> {
    if (to - from <= this.buckets.size) {
      for (let s = from; s < to; s++) {
        const b = this.buckets.get(s);
        if (b) yield b;
      }
    } else {
      for (const b of this.buckets.values()) if (b.sec >= from && b.sec < to) yield b;
    }
  }
}

/** Percentile from a histogram whose bin i holds values equal to i (or bounded by edges). */
export function histogramPercentile(hist: ArrayLike<number>, total: number, p: number, valueOf: (bin: number) => number): number | null {
  if (total === 0) return null;
  const rank = Math.ceil(total * p);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= rank) return valueOf(i);
  }
  return valueOf(hist.length - 1);
}
