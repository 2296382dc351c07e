// Thread: the engine thread. Publishes the outbox to the metrics stream with publisher confirms
// and forgets a payload only once the broker has confirmed it; a slow or absent broker never
// slows ingest (the outbox grows in the database and is published when it is back).
import { countNoun, countText } from '../../../shared/countText';
import amqp from 'amqplib';
import { amqpConnect, closeWithin, dropSocket } from '../broker/amqpConnect';
import { settledWithin } from '../broker/settledWithin';
import { backoffDelay } from '../../../shared/backoff';
import { METRICS_CONTENT_TYPE, METRICS_MESSAGE_VERSION } from '../../../shared/metricsStream';
import { redactUrl, safeErrorMessage } from '../redact';
import type { Store } from '../store/store';
import { declareMetricsStream, type StreamRetention } from './streamQueue';

export interface MetricsPublisherOptions {
  url: string;
  stream: string;
  retention: StreamRetention;
  /** This collector's id: (collector, seq) names each message for ever. */
  collector: string;
  /** This process's incarnation (the one its outbox rows carry): published as `by`. */
  incarnation?: string;
  store: Pick<Store, 'metricsStream'>;
  log(line: string): void;
}

/** Whether `p` (nothing: at once) settles before the time `at`. */
function settledBy(p: Promise<unknown> | null, at: number): Promise<boolean> {
  return p ? settledWithin(p, Math.max(0, at - Date.now())) : Promise.resolve(true);
}

/** Outbox rows sent before waiting for the broker's confirms. */
const CONFIRM_EVERY = 500;
const RETRY = { initialMs: 250, maxMs: 10_000, jitter: 0.2 };

export class MetricsPublisher {
  private model: amqp.ChannelModel | null = null;
  private channel: amqp.ConfirmChannel | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Messages the broker returned (mandatory, no queue to take them) on the current channel. */
  private returned = 0;
  /** Messages the broker has confirmed in this session. */
  published = 0;

  constructor(private readonly o: MetricsPublisherOptions) {}

  /** Publishes what the outbox holds now (and again if more arrives meanwhile). */
  kick(): void {
    if (this.stopped && this.running) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.retryTimer) return;
    this.running = this.publishOutbox().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  /**
   * Publishes what is left (for at most `timeoutMs`), then closes; what is not confirmed stays in
   * the outbox. Bounded whatever the broker does: one that blocks publishers (a memory or disk
   * alarm) or stalled sends no confirm, and waiting for the publish under way held the
   * collector's stop for as long as that lasted. Past the bound the socket is dropped.
   */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const giveUpAt = Date.now() + timeoutMs;
    let idle = await settledBy(this.running, giveUpAt);
    while (idle && !this.stopped && Date.now() < giveUpAt && this.o.store.metricsStream.outboxSize() > 0) {
      const running = (this.running = this.publishOutbox().finally(() => {
        if (this.running === running) this.running = null;
      }));
      idle = await settledBy(running, giveUpAt);
      if (idle && this.failures > 0) await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, giveUpAt - Date.now()))));
    }
    this.stopped = true;
    const model = this.model;
    this.model = null;
    this.channel = null;
    if (model && !idle) dropSocket(model);
    else if (model) await closeWithin(model, Math.max(giveUpAt - Date.now(), 1000));
    // A publish cut off by the dropped socket is not waited for (amqplib settles no confirm of a
    // socket gone): it can remove nothing from the outbox without the broker's confirms.
    const left = this.o.store.metricsStream.outboxSize();
    if (left > 0) this.o.log(`metrics stream: ${countText(left, 'message')} not yet confirmed ${countNoun(left, 'stays', 'stay')} in the outbox; published at the next start`);
  }

  private async publishOutbox(): Promise<void> {
    try {
      const ch = await this.openChannel();
      for (;;) {
        const rows = this.o.store.metricsStream.pendingOutbox(CONFIRM_EVERY);
        if (rows.length === 0) break;
        this.returned = 0;
        const by = this.o.incarnation === undefined ? '' : `"by":${JSON.stringify(this.o.incarnation)},`;
        const head = `{"v":${METRICS_MESSAGE_VERSION},"collector":${JSON.stringify(this.o.collector)},${by}`;
        for (const r of rows) {
          const body = Buffer.from(`${head}"seq":${r.seq},"at":${r.at},${r.body.slice(1)}`);
          // Mandatory: to a stream deleted meanwhile the broker would drop the message and still confirm it.
          const options = { persistent: true, mandatory: true, contentType: METRICS_CONTENT_TYPE, headers: { 'x-payops-metrics-version': METRICS_MESSAGE_VERSION } };
          if (!ch.sendToQueue(this.o.stream, body, options)) await new Promise((resolve) => ch.once('drain', resolve));
        }
        await ch.waitForConfirms();
        // A return comes before the confirm of its message: none returned, all are in the stream.
        if (this.returned > 0) {
          throw new Error(`stream ${this.o.stream} is gone (deleted?): the broker returned ${countText(this.returned, 'message')}; declaring it again`);
        }
        this.o.store.metricsStream.removeOutbox(rows[rows.length - 1].seq);
        this.published += rows.length;
      }
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.o.log(`metrics stream ${this.o.stream} on ${redactUrl(this.o.url)}: ${safeErrorMessage(err)}; the outbox keeps it, retrying`);
      }
      await this.model?.close().catch(() => undefined);
      this.model = null;
      this.channel = null;
      if (!this.stopped) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.kick();
        }, backoffDelay(this.failures, RETRY));
        this.retryTimer.unref?.();
      }
    }
  }

  private async openChannel(): Promise<amqp.ConfirmChannel> {
    if (this.channel) return this.channel;
    const model = await amqpConnect(this.o.url, { timeout: 5000 });
    model.on('error', () => undefined);
    model.on('close', () => {
      if (this.model === model) {
        this.model = null;
        this.channel = null;
      }
    });
    this.model = model;
    const note = await declareMetricsStream(async () => {
      const c = await model.createChannel();
      c.on('error', () => undefined);
      return c;
    }, this.o.stream, this.o.retention);
    if (note) this.o.log(note);
    const ch = await model.createConfirmChannel();
    ch.on('error', () => undefined);
    ch.on('return', () => {
      if (this.channel === ch) this.returned += 1;
    });
    ch.on('close', () => {
      if (this.channel === ch) this.channel = null;
    });
    this.channel = ch;
    return ch;
  }
}
