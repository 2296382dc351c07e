import type { Channel, ChannelModel } from 'amqplib';
import type { QueueDepth } from '../../../shared/metrics';
import { safeErrorMessage } from '../redact';

/**
 * Polls the depth and consumer count of watched queues with a passive declare. A passive
 * declare of a missing queue closes its channel (404), so each failure gets a fresh channel
 * and is reported for that queue alone.
 */
export class QueueDepthPoller {
  private channel: Channel | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private latest = new Map<string, QueueDepth>();
  /** The passive declare in flight (they run one after another on the shared channel). */
  private previous: Promise<unknown> = Promise.resolve();
  /** Set by stop(), for good: a declare still queued then, or asked later, opens no channel. */
  private stopped = false;

  constructor(
    private readonly queues: string[],
    private readonly connection: () => ChannelModel | null,
    private readonly onSamples: (samples: QueueDepth[]) => void,
    private readonly intervalMs = 2000,
  ) {}

  start(): void {
    if (this.queues.length === 0 || this.timer) return;
    // Each queue's failure is in its sample; only a throwing onSamples sink can reject here,
    // and Node exits on an unhandled rejection: the next poll runs instead.
    const poll = (): void => void this.pollOnce().catch(() => undefined);
    poll();
    this.timer = setInterval(poll, this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.channel?.close().catch(() => undefined);
    this.channel = null;
  }

  current(): QueueDepth[] {
    return this.queues.map(
      (queue) => this.latest.get(queue) ?? { queue, messages: null, consumers: null, at: 0, error: 'not polled yet' },
    );
  }

  async pollOnce(): Promise<QueueDepth[]> {
    if (this.polling) return this.current();
    this.polling = true;
    try {
      const samples: QueueDepth[] = [];
      for (const queue of this.queues) samples.push(await this.sample(queue));
      for (const s of samples) this.latest.set(s.queue, s);
      this.onSamples(samples);
      return samples;
    } finally {
      this.polling = false;
    }
  }

  /**
   * One queue by passive declare (also the fallback of the management poller, which asks for
   * all its queues at once). One at a time: side by side, each call finding no channel opened
   * its own (all but one leaked, until the connection had none left), and a missing queue's
   * 404 closed the channel the other queues' declares were on.
   */
  sample(queue: string): Promise<QueueDepth> {
    const next = this.previous.then(() => this.declare(queue));
    this.previous = next.catch(() => undefined);
    return next;
  }

  private async declare(queue: string): Promise<QueueDepth> {
    const at = Date.now();
    const stopped: QueueDepth = { queue, messages: null, consumers: null, at, error: 'stopped' };
    if (this.stopped) return stopped;
    try {
      const conn = this.connection();
      if (!conn) return { queue, messages: null, consumers: null, at, error: 'broker not connected' };
      if (!this.channel) {
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        // stop() ran while it opened: stop() had no channel to close, so it is closed here.
        if (this.stopped) {
          await ch.close().catch(() => undefined);
          return stopped;
        }
        ch.on('close', () => {
          if (this.channel === ch) this.channel = null;
        });
        this.channel = ch;
      }
      const ok = await this.channel.checkQueue(queue);
      return { queue, messages: ok.messageCount, consumers: ok.consumerCount, at, error: null };
    } catch (err) {
      this.channel = null;
      const message = safeErrorMessage(err);
      return { queue, messages: null, consumers: null, at, error: /NOT_FOUND|404/.test(message) ? 'queue not found' : message };
    }
  }
}
