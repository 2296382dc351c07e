import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { amqpConnect } from '../broker/amqpConnect';
import { brokerRefusal } from '../broker/brokerErrors';
import { redactSecrets, redactUrl } from '../redact';
import { createTrafficGenerator } from './trafficGenerator';
import { TokenBucket } from './tokenBucket';
import type { ScenarioName, ScenarioTimings } from './scenarios';
import { countText } from '../../../shared/countText';

export interface PublishProgress {
  /** Messages the broker has confirmed so far. */
  published: number;
  /** Messages handed to the channel (confirmed or not yet). */
  sent: number;
  elapsedMs: number;
  stalled: boolean;
}

export interface PublishTrafficOptions {
  /** amqp:// URL; credentials never appear in errors. */
  url: string;
  /** Topic exchange to publish to (asserted durable). Default `payments`. */
  exchange?: string;
  /** Events per second. */
  rate: number;
  forSeconds: number;
  scenario?: ScenarioName;
  seed?: number;
  timings?: Partial<ScenarioTimings>;
  /** Called about every 250 ms and once at the end. */
  onProgress?: (progress: PublishProgress) => void;
  /** Aborting stops sending; what was sent is still confirmed and counted. */
  signal?: AbortSignal;
}

export interface PublishResult {
  published: number;
}

/** Raised for connection, channel or confirm failures; the message never carries credentials. */
export class PublishTrafficError extends Error {
  override readonly name = 'PublishTrafficError';
}

/** The broker could not be reached: the CLI exits 2 for it, as collect does (see exitCodeFor). */
export class PublishTrafficUnreachableError extends PublishTrafficError {
  readonly kind = 'BrokerUnreachableError';
}

// Pacing: one timer per tick, sending a batch from a token bucket (see TokenBucket).
const TICK_MS = 20;
const BUCKET_SECONDS = 0.5;
const PROGRESS_MS = 250;
// Unconfirmed messages allowed before waiting for the broker (bounds client memory).
const MAX_UNCONFIRMED = 5_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Publishes simulated payment and risk events to a topic exchange at `rate` per second
 * for `forSeconds` (or until `signal` aborts), with publisher confirms, and resolves with
 * the number of messages the broker confirmed. Routing key = event type.
 */
export async function publishTraffic(options: PublishTrafficOptions): Promise<PublishResult> {
  const exchange = options.exchange ?? 'payments';
  const { rate, forSeconds, signal } = options;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number (got ${rate})`);
  if (!(forSeconds >= 0)) throw new RangeError(`forSeconds must be >= 0 (got ${forSeconds})`);

  let model: ChannelModel;
  try {
    model = await amqpConnect(options.url);
  } catch (err) {
    throw brokerRefusal(err, options.url) ?? new PublishTrafficUnreachableError(`cannot connect to ${redactUrl(options.url)}: ${redactSecrets((err as Error).message)}`);
  }
  // Without listeners, an 'error' event on the connection or channel would crash the process.
  let failure: Error | null = null;
  // A failure must also end a wait for 'drain', which a dead channel never emits.
  let wakeDrainWaiter: (() => void) | null = null;
  const onFailure = (err?: Error) => {
    failure ??= new PublishTrafficError(
      `broker ${redactUrl(options.url)}: ${err ? redactSecrets(err.message) : 'connection closed unexpectedly'}`,
    );
    wakeDrainWaiter?.();
  };
  model.on('error', onFailure);
  let closing = false;
  model.on('close', (err?: Error) => {
    if (!closing) onFailure(err);
  });

  let sent = 0;
  let published = 0;
  let nacked = 0;
  try {
    const channel: ConfirmChannel = await model.createConfirmChannel();
    channel.on('error', onFailure);
    await channel.assertExchange(exchange, 'topic', { durable: true });

    const startMs = Date.now();
    const generator = createTrafficGenerator({
      seed: options.seed ?? 1,
      scenario: options.scenario ?? 'normal',
      startMs,
      rate,
      timings: options.timings,
    });
    const endMs = startMs + forSeconds * 1000;
    const bucket = new TokenBucket(rate, Math.max(1, rate * BUCKET_SECONDS), startMs);
    // Never send more than the whole run allows, whatever the timer jitter.
    const runTotal = Math.ceil(rate * forSeconds);
    let lastProgress = startMs;
    let drained: Promise<void> | null = null;

    const report = (now: number) => {
      options.onProgress?.({ published, sent, elapsedMs: now - startMs, stalled: generator.isStalled(now) });
    };

    while (!signal?.aborted && failure === null) {
      const now = Date.now();
      if (now >= endMs) break;
      let budget = 0;
      if (generator.isStalled(now)) bucket.drainTo(now);
      else budget = bucket.take(now, runTotal - sent);
      let used = 0;
      while (used < budget && failure === null) {
        const event = generator.next();
        const body = Buffer.from(JSON.stringify(event));
        const fits = channel.publish(
          exchange,
          event.type,
          body,
          {
            contentType: 'application/cloudevents+json',
            persistent: true,
            messageId: event.id,
            timestamp: Math.floor(Date.parse(event.time) / 1000),
          },
          (err) => {
            if (err) nacked++;
            else published++;
          },
        );
        sent++;
        used++;
        if (!fits) {
          drained ??= new Promise<void>((resolve) => {
            wakeDrainWaiter = resolve;
            channel.once('drain', () => resolve());
          });
          break;
        }
      }
      bucket.refund(budget - used);
      if (drained) {
        await drained;
        drained = null;
        wakeDrainWaiter = null;
      }
      if (sent - published - nacked > MAX_UNCONFIRMED) await channel.waitForConfirms();
      if (now - lastProgress >= PROGRESS_MS) {
        lastProgress = now;
        report(now);
      }
      await sleep(TICK_MS, signal);
    }
    if (failure === null) await channel.waitForConfirms();
    if (failure !== null) throw failure;
    report(Date.now());
    if (nacked > 0) throw new PublishTrafficError(rejectedText(nacked, sent, published));
    closing = true;
    await channel.close();
    return { published };
  } catch (err) {
    if (err instanceof PublishTrafficError || err instanceof RangeError) throw err;
    throw new PublishTrafficError(`publishing to ${redactUrl(options.url)} failed: ${redactSecrets((err as Error).message)}`);
  } finally {
    closing = true;
    await model.close().catch(() => undefined);
  }
}

/** The error of a run the broker nacked part of: "rejected 1 of 1 message", "1 of 2 messages". */
export function rejectedText(nacked: number, sent: number, published: number): string {
  return `broker rejected ${nacked} of ${countText(sent, 'message')} (published ${published})`;
}
