import { countText } from '../../../shared/countText';
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { amqpConnect } from '../broker/amqpConnect';
import { decodeMessage } from '../../../shared/events/decode';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { brokerRefusal, BrokerUnreachableError } from '../broker/brokerErrors';
import { validateBrokerUrl } from '../broker/brokerUrl';
import { openCaptureReader } from '../capture/captureReader';
import { brokeOffAfter, CaptureReadError, cutLineError } from '../capture/captureErrors';
import { DEFAULT_BROKER } from '../broker/brokerConfig';
import { redactSecrets, redactUrl } from '../redact';
import { TokenBucket } from '../sim/tokenBucket';

/** Exchanges refused as a re-publish target unless explicitly allowed: the live source. */
export const LIVE_SOURCE_EXCHANGES: readonly string[] = [DEFAULT_BROKER.exchange];

/** PAYOPS_READ_ONLY=1 (or true/yes) puts the whole tool in read-only mode. */
export function isReadOnlyEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes|on)$/i.test(env.PAYOPS_READ_ONLY ?? '');
}

export type PublishRefusal = 'read-only' | 'live-exchange' | 'no-target' | 'not-confirmed' | 'nothing-to-publish';

/** A guard said no; nothing was sent. */
export class PublishRefusedError extends Error {
  override readonly name = 'PublishRefusedError';
  constructor(
    readonly reason: PublishRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface PublishPlan {
  file: string;
  /** Broker URL without the password. */
  target: { url: string; exchange: string };
  /** Messages that will be published. */
  count: number;
  /** Lines whose message the console would quarantine, left out (unless includeQuarantined). */
  skippedQuarantined: number;
  /** Lines that could not be read at all (never published: there is no message to send). */
  badLines: number;
  rate: number | null;
  /** The capture could not be read to its end (truncated gzip...): only `count` messages before that. */
  readError: string | null;
  /**
   * The capture breaks off after lines were read (a cut or corrupt gzip, a last line cut mid-line,
   * a read failure), as `payops replay` says `truncated`: what came before it is published.
   */
  truncated: boolean;
  /** One line for the operator: what goes where. */
  summary: string;
}

export interface PublishCaptureOptions {
  file: string;
  url: string;
  /** Target exchange; required, no default. It must exist on the broker. */
  exchange: string;
  /** Messages per second (none: as fast as confirms allow). */
  rate?: number;
  includeQuarantined?: boolean;
  /** Read-only mode: refuse before reading anything. */
  readOnly?: boolean;
  /** Exchanges refused unless allowLiveExchange (default LIVE_SOURCE_EXCHANGES; add the active profile's). */
  liveExchanges?: readonly string[];
  allowLiveExchange?: boolean;
  /** Asked with the plan (count and target) before anything is sent; false refuses. */
  confirm: (plan: PublishPlan) => boolean | Promise<boolean>;
  onProgress?: (p: { published: number; sent: number; total: number }) => void;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

export interface PublishCaptureResult {
  plan: PublishPlan;
  /** Messages the broker confirmed (publisher confirms). */
  published: number;
  /** Messages the broker refused (nack). */
  nacked: number;
  /** Confirmed but routed to no queue (mandatory flag, returned by the broker). */
  unroutable: number;
  durationMs: number;
  aborted: boolean;
}

interface Outgoing {
  routingKey: string;
  body: Buffer;
  options: Options.Publish;
}

function checkGuards(o: Pick<PublishCaptureOptions, 'readOnly' | 'exchange' | 'liveExchanges' | 'allowLiveExchange'>): void {
  if (o.readOnly) {
    throw new PublishRefusedError('read-only', 're-publish is disabled: payops is in read-only mode (PAYOPS_READ_ONLY or --read-only)');
  }
  if (!o.exchange) throw new PublishRefusedError('no-target', 'a target exchange is required (there is no default)');
  const live = o.liveExchanges ?? LIVE_SOURCE_EXCHANGES;
  if (live.includes(o.exchange) && !o.allowLiveExchange) {
    throw new PublishRefusedError(
      'live-exchange',
      `refusing to publish to "${o.exchange}": it is the live source exchange (pass --allow-live-exchange if you really mean it)`,
    );
  }
}

/** What a capture line becomes on the wire, or null when it is left out. */
function outgoing(raw: RawMessage, includeQuarantined: boolean, maxBodyBytes: number | undefined): Outgoing | 'quarantined' {
  const decoded = decodeMessage(raw, { maxBodyBytes });
  if (!decoded.ok && !includeQuarantined) return 'quarantined';
  const e = decoded.ok ? decoded.event : null;
  const options: Options.Publish = {
    persistent: true,
    mandatory: true,
    contentType: raw.contentType ?? 'application/cloudevents+json',
  };
  if (raw.headers) options.headers = raw.headers;
  if (e) {
    options.messageId = e.id;
    if (e.timeMs !== null) options.timestamp = Math.floor(e.timeMs / 1000);
  }
  const body = Buffer.from(raw.body.buffer, raw.body.byteOffset, raw.body.byteLength);
  return { routingKey: raw.routingKey ?? e?.type ?? '', body, options };
}

interface ReadCounts {
  quarantined: number;
  bad: number;
  error: string | null;
  truncated: boolean;
}

const newCounts = (): ReadCounts => ({ quarantined: 0, bad: 0, error: null, truncated: false });

async function* messages(file: string, includeQuarantined: boolean, maxBodyBytes: number | undefined, counts: ReadCounts) {
  let line = 0;
  try {
    for await (const rec of openCaptureReader(file)) {
      // Cut mid-line: the file breaks off inside its last line (no line to count as unreadable).
      if ('error' in rec && rec.cut) throw cutLineError(file, rec.line);
      line = rec.line;
      if ('error' in rec) {
        counts.bad++;
        continue;
      }
      const out = outgoing(rec.raw, includeQuarantined, maxBodyBytes);
      if (out === 'quarantined') counts.quarantined++;
      else yield out;
    }
  } catch (err) {
    counts.error = (err as Error).message;
    counts.truncated = err instanceof CaptureReadError ? brokeOffAfter(err, line) : line > 0;
  }
}

/** Reads the capture once (streaming) and says what would be published where. Checks the guards first. */
export async function planPublish(o: Omit<PublishCaptureOptions, 'confirm'>): Promise<PublishPlan> {
  checkGuards(o);
  validateBrokerUrl(o.url);
  const counts = newCounts();
  let count = 0;
  for await (const _m of messages(o.file, o.includeQuarantined ?? false, o.maxBodyBytes, counts)) count++;
  if (counts.error && count === 0 && counts.quarantined === 0 && counts.bad === 0) {
    // Missing, empty or binary file: nothing to plan.
    throw new PublishRefusedError('nothing-to-publish', counts.error);
  }
  const url = redactUrl(o.url);
  const rate = o.rate ?? null;
  const left = [
    counts.quarantined ? `${countText(counts.quarantined, 'quarantined line')} left out${o.includeQuarantined ? '' : ' (--include-quarantined to send them)'}` : '',
    counts.bad ? `${countText(counts.bad, 'unreadable line')} skipped` : '',
    counts.error ? `the capture ends early: ${counts.error}` : '',
  ].filter(Boolean);
  const summary =
    `publish ${countText(count, 'message')} from ${o.file} to exchange "${o.exchange}" on ${url}` +
    `${rate ? ` at ${rate}/s` : ''}${left.length ? `; ${left.join('; ')}` : ''}`;
  return {
    file: o.file,
    target: { url, exchange: o.exchange },
    count,
    skippedQuarantined: counts.quarantined,
    badLines: counts.bad,
    rate,
    readError: counts.error,
    truncated: counts.truncated,
    summary,
  };
}

// Unconfirmed messages allowed in flight (bounds memory and a lost connection's resend).
const MAX_UNCONFIRMED = 2_000;
const TICK_MS = 20;

/**
 * Re-publishes a capture to an exchange, guarded: read-only mode refuses, the live source
 * exchange is refused unless allowed, the plan (count and target) is confirmed first, the
 * rate is limited, and every message is published with publisher confirms (ConfirmChannel)
 * and `mandatory` (unroutable messages are counted). Messages keep their recorded routing
 * key, headers and content type (binary-mode CloudEvents stay valid); plain lines use the
 * event type as routing key.
 */
export async function publishCapture(o: PublishCaptureOptions): Promise<PublishCaptureResult> {
  const plan = await planPublish(o);
  if (plan.count === 0) throw new PublishRefusedError('nothing-to-publish', `nothing to publish: ${plan.summary}`);
  if (!(await o.confirm(plan))) throw new PublishRefusedError('not-confirmed', `not confirmed: nothing published (${plan.summary})`);

  const started = Date.now();
  let model: ChannelModel;
  try {
    model = await amqpConnect(o.url, { timeout: 5000 });
  } catch (err) {
    // A named refusal (exit 5/6), else BrokerUnreachableError: the CLI exits 2, as collect and simulate do.
    throw brokerRefusal(err, o.url) ?? new BrokerUnreachableError(`cannot connect to ${redactUrl(o.url)}: ${redactSecrets((err as Error).message)}`);
  }
  let failure: Error | null = null;
  let closing = false;
  const onFailure = (err?: Error) => {
    failure ??= new Error(`broker ${redactUrl(o.url)}: ${err ? redactSecrets(err.message) : 'connection closed unexpectedly'}`);
  };
  model.on('error', onFailure);
  model.on('close', (err?: Error) => {
    if (!closing) onFailure(err);
  });
  let published = 0;
  let nacked = 0;
  let unroutable = 0;
  let sent = 0;
  try {
    try {
      const probe = await model.createChannel();
      probe.on('error', () => undefined);
      await probe.checkExchange(o.exchange);
      await probe.close();
    } catch {
      throw new Error(`exchange "${o.exchange}" does not exist on ${redactUrl(o.url)} (create it, or choose another target)`);
    }
    const channel: ConfirmChannel = await model.createConfirmChannel();
    channel.on('error', onFailure);
    channel.on('return', () => unroutable++);
    const bucket = o.rate ? new TokenBucket(o.rate, Math.max(1, o.rate * 0.5), Date.now()) : null;
    let budget = 0;
    const counts = newCounts();
    for await (const m of messages(o.file, o.includeQuarantined ?? false, o.maxBodyBytes, counts)) {
      if (o.signal?.aborted || failure) break;
      if (sent >= plan.count) break; // the file grew since it was counted: send what was confirmed
      while (bucket && budget === 0) {
        budget = bucket.take(Date.now());
        if (budget === 0) await new Promise((r) => setTimeout(r, TICK_MS));
      }
      budget--;
      const fits = channel.publish(o.exchange, m.routingKey, m.body, m.options, (err) => {
        if (err) nacked++;
        else published++;
      });
      sent++;
      if (!fits) await new Promise((r) => channel.once('drain', r));
      if (sent - published - nacked >= MAX_UNCONFIRMED) await channel.waitForConfirms().catch(() => undefined); // nacks are counted
      if (sent % 1000 === 0) o.onProgress?.({ published, sent, total: plan.count });
    }
    if (!failure) await channel.waitForConfirms().catch(() => undefined);
    if (failure) throw failure;
    o.onProgress?.({ published, sent, total: plan.count });
    closing = true;
    await channel.close();
    return { plan, published, nacked, unroutable, durationMs: Date.now() - started, aborted: o.signal?.aborted ?? false };
  } catch (err) {
    if (failure && err !== failure) throw failure;
    throw err;
  } finally {
    closing = true;
    await model.close().catch(() => undefined);
  }
}
