// Queue depth in time rather than in messages. 40,000 messages are fine if they drain in four
// seconds and a disaster if they take an hour: the delay a new message would see (Little's
// law, depth over the rate messages leave), the time to empty at the net rate, and a short
// forecast (Holt's linear trend) of when the depth crosses a limit.
import type { QueueForecast } from '../../../shared/queueStats';

/** Little's law: seconds a message arriving now waits, at the current drain (deliver) rate; null when nothing drains. */
export function delaySeconds(depth: number | null, deliverRate: number | null): number | null {
  if (depth === null) return null;
  if (depth === 0) return 0;
  if (deliverRate === null || !(deliverRate > 0)) return null;
  return depth / deliverRate;
}

/**
 * An AMQP timestamp this large can only be milliseconds (as seconds it is after the year 5000):
 * producers that set `timestamp: Date.now()` (amqplib passes the number as it is) send those,
 * and RabbitMQ gives them back unchanged as head_message_timestamp. The decoder reads a
 * CloudEvents `time` header the same way.
 */
const TIMESTAMP_MS_FROM = 1e11;

/**
 * Seconds the head message has waited, from the AMQP timestamp its producer set (epoch
 * seconds, RabbitMQ's head_message_timestamp; milliseconds when it can only be those):
 * measured, where delaySeconds estimates. A producer clock ahead of ours reads 0, not a
 * negative wait. null when there is none.
 */
export function oldestMessageAge(headTimestamp: number | null | undefined, atMs: number): number | null {
  if (typeof headTimestamp !== 'number' || !Number.isFinite(headTimestamp) || headTimestamp <= 0) return null;
  const seconds = headTimestamp >= TIMESTAMP_MS_FROM ? headTimestamp / 1000 : headTimestamp;
  return Math.max(0, atMs / 1000 - seconds);
}

/** Seconds to empty at the net rate (out minus in); null when the queue is not draining. */
export function drainSeconds(depth: number | null, publishRate: number | null, deliverRate: number | null): number | null {
  if (depth === null) return null;
  if (depth === 0) return 0;
  if (deliverRate === null) return null;
  const net = deliverRate - (publishRate ?? 0);
  return net > 0 ? depth / net : null;
}

/**
 * A stuck consumer: the queue holds messages, consumers are attached, and none of them takes
 * or acknowledges anything. Little's law has no answer then (nothing drains: delay is null),
 * so the time since the queue last made progress is what an operator needs. Seconds since a
 * sample last showed it empty or delivering/acknowledging; 0 while it does; null when it
 * cannot be judged (no rates without the management API, or no consumers: that is the
 * no-consumers rule's case).
 */
export function stalledSeconds(
  sample: { messages: number | null; consumers: number | null; rates?: { deliver: number | null; ack: number | null } | null; at: number },
  progressAt: number | undefined,
  /**
   * The broker's cumulative delivered + acknowledged count grew since the previous poll. Its
   * rates are averages over its last stats interval and read 0 again a few seconds after a
   * short burst, which a slow poll can miss; the counts cannot.
   */
  countersMoved = false,
): { seconds: number | null; progressAt: number | undefined } {
  const deliver = sample.rates?.deliver ?? null;
  const ack = sample.rates?.ack ?? null;
  if (sample.messages === null || deliver === null || ack === null) return { seconds: null, progressAt };
  if (sample.messages === 0 || deliver > 0 || ack > 0 || countersMoved) return { seconds: 0, progressAt: sample.at };
  if (!sample.consumers) return { seconds: null, progressAt };
  const since = progressAt ?? sample.at;
  return { seconds: Math.max(0, (sample.at - since) / 1000), progressAt: since };
}

/** Horizon beyond which a crossing is not forecast (a trend of the last minutes says little about later). */
export const FORECAST_HORIZON_S = 3600;

/**
 * Holt's linear trend (double exponential smoothing) over irregularly spaced depth samples:
 * a level and a trend per second, smoothed with alpha and beta. Few numbers per queue.
 */
export class HoltTrend {
  private level: number | null = null;
  private trend = 0;
  private lastAt = 0;

  constructor(
    private readonly alpha = 0.5,
    private readonly beta = 0.3,
  ) {}

  add(value: number, atMs: number): void {
    if (this.level === null) {
      this.level = value;
      this.lastAt = atMs;
      return;
    }
    const dt = (atMs - this.lastAt) / 1000;
    if (!(dt > 0)) return;
    const predicted = this.level + this.trend * dt;
    const level = this.alpha * value + (1 - this.alpha) * predicted;
    this.trend = this.beta * ((level - this.level) / dt) + (1 - this.beta) * this.trend;
    this.level = level;
    this.lastAt = atMs;
  }

  /** Trend in units per second (0 before two samples). */
  get slope(): number {
    return this.trend;
  }

  /** Seconds until the smoothed depth reaches `limit` (0 when already there), null when not within the horizon. */
  secondsUntil(limit: number): number | null {
    if (this.level === null) return null;
    if (this.level >= limit) return 0;
    if (!(this.trend > 0)) return null;
    const s = (limit - this.level) / this.trend;
    return s <= FORECAST_HORIZON_S ? s : null;
  }
}

/** The queue's x-max-length from its arguments, when it has one. */
export function maxLengthOf(args: Record<string, unknown> | null | undefined): number | null {
  const v = args?.['x-max-length'];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

export function forecastOf(trend: HoltTrend, maxLength: number | null, threshold: number): QueueForecast {
  const limit = maxLength ?? threshold;
  return {
    limit,
    limitKind: maxLength !== null ? 'x-max-length' : 'threshold',
    crossInSeconds: trend.secondsUntil(limit),
    trendPerSecond: trend.slope,
  };
}
