// Polled queue depths per queue, on the evaluator's clock. Bounded by time (the longest
// queue-rule window plus lateness) and by count, so a fast poller cannot grow it.
import type { QueueDepth } from '../../../shared/metrics';

export interface QueueSample {
  at: number;
  messages: number | null;
  consumers: number | null;
  error: string | null;
  /** Little's law delay and time to drain (seconds), from the management API's rates; null when unknown. */
  delaySeconds: number | null;
  drainSeconds: number | null;
  /** Seconds with messages, consumers and no deliveries or acks (a stuck consumer); null when unknown. */
  stalledSeconds: number | null;
  /** Seconds the head message has waited, from its AMQP timestamp (measured, where delaySeconds estimates); null when it has none. */
  oldestMessageAgeSeconds: number | null;
}

const MAX_SAMPLES_PER_QUEUE = 4096;

export class QueueSamples {
  private readonly byQueue = new Map<string, QueueSample[]>();
  dropped = 0;

  constructor(
    private readonly keepMs: number,
    private readonly maxQueues: number,
  ) {}

  add(depths: readonly QueueDepth[], atMs: number): void {
    for (const d of depths) {
      if (!d || typeof d.queue !== 'string' || d.queue === '') continue;
      let list = this.byQueue.get(d.queue);
      if (!list) {
        if (this.byQueue.size >= this.maxQueues) {
          this.dropped++;
          continue;
        }
        list = [];
        this.byQueue.set(d.queue, list);
      }
      const sample: QueueSample = {
        at: atMs,
        messages: finiteOrNull(d.messages),
        consumers: finiteOrNull(d.consumers),
        error: d.error ?? null,
        delaySeconds: finiteOrNull(d.delaySeconds),
        drainSeconds: finiteOrNull(d.drainSeconds),
        stalledSeconds: finiteOrNull(d.stalledSeconds),
        oldestMessageAgeSeconds: finiteOrNull(d.oldestMessageAgeSeconds),
      };
      // Samples normally arrive in time order; an out-of-order one is placed, not appended.
      let i = list.length;
      while (i > 0 && list[i - 1].at > atMs) i--;
      list.splice(i, 0, sample);
      if (list.length > MAX_SAMPLES_PER_QUEUE) list.splice(0, list.length - MAX_SAMPLES_PER_QUEUE);
    }
  }

  /** How many queues have samples. */
  get size(): number {
    return this.byQueue.size;
  }

  queues(): string[] {
    return [...this.byQueue.keys()];
  }

  /** Samples with fromMs <= at < toMs, oldest first. */
  window(queue: string, fromMs: number, toMs: number): QueueSample[] {
    return (this.byQueue.get(queue) ?? []).filter((s) => s.at >= fromMs && s.at < toMs);
  }

  /** Drops samples older than the longest window before `nowMs`; forgets empty queues unless active. */
  sweep(nowMs: number, isActive: (queue: string) => boolean): void {
    for (const [queue, list] of this.byQueue) {
      const keepFrom = nowMs - this.keepMs;
      let drop = 0;
      while (drop < list.length && list[drop].at < keepFrom) drop++;
      if (drop) list.splice(0, drop);
      if (list.length === 0 && !isActive(queue)) this.byQueue.delete(queue);
    }
  }
}

function finiteOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
