// Reading a dead-lettered message: its x-death history (newest death first, as the broker
// keeps it), its origin (the exchange and routing key of its first death: where it was
// published), a stable id, and what the console's decoder would make of it.
import { createHash } from 'node:crypto';
import { decodeAsConsumed } from './bodyEncoding';
import type { DeadLetterMessage, DeadLetterOrigin, DeathRecord } from '../../../shared/deadLetters';

export interface DeadLetterInput {
  body: Uint8Array;
  headers: Record<string, unknown> | null;
  contentType: string | null;
  messageId: string | null;
  exchange: string;
  routingKey: string;
  /** The content-encoding property: a gzip or deflate body is decoded decompressed, as the consumer reads it. */
  contentEncoding?: string | null;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return v === undefined || v === null ? '' : String(v);
}

function timeMs(v: unknown): number | null {
  // amqplib gives a timestamp as { '!': 'timestamp', value: seconds } or a number; the management API a number of seconds.
  const raw = typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v;
  return typeof raw === 'number' && Number.isFinite(raw) ? raw * 1000 : null;
}

export function deathsOf(headers: Record<string, unknown> | null): DeathRecord[] {
  const list = headers?.['x-death'];
  if (!Array.isArray(list)) return [];
  return list
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
    .map((d) => ({
      queue: text(d.queue),
      reason: text(d.reason),
      exchange: text(d.exchange),
      routingKeys: Array.isArray(d['routing-keys']) ? (d['routing-keys'] as unknown[]).map(text) : [],
      count: typeof d.count === 'number' ? d.count : Number(text(d.count)) || 0,
      time: timeMs(d.time),
    }));
}

/** The first death: where the message was originally published. */
export function originOf(headers: Record<string, unknown> | null, deaths = deathsOf(headers)): DeadLetterOrigin | null {
  if (deaths.length === 0) return null;
  const firstQueue = headers?.['x-first-death-queue'];
  const first = deaths.find((d) => firstQueue !== undefined && d.queue === text(firstQueue)) ?? deaths[deaths.length - 1];
  const routingKey = first.routingKeys[0];
  if (routingKey === undefined) return null;
  return { exchange: first.exchange, routingKey, queue: first.queue, reason: first.reason };
}

export function deadLetterId(input: Pick<DeadLetterInput, 'body' | 'messageId'>, eventId: string | null): string {
  if (input.messageId) return input.messageId;
  if (eventId) return eventId;
  return `sha256:${createHash('sha256').update(input.body).digest('hex').slice(0, 24)}`;
}

/**
 * This copy of a dead letter: its message id, body, death history (queue, reason, exchange,
 * routing keys, count, time), first death and redrive mark, hashed. Read the same from the
 * management API's browse and from the redrive's basic.get (both normalised by deathsOf), and
 * stable while the copy waits in the queue; a copy sent home that dies again gets a new mark
 * and new deaths, so a new identity. Copies identical in all of these (one body dead-lettered
 * from one queue twice within a second) cannot be told apart by any reader: they share one.
 */
export function copyIdOf(input: Pick<DeadLetterInput, 'body' | 'messageId' | 'headers'>, deaths = deathsOf(input.headers)): string {
  const h = input.headers ?? {};
  const identity = JSON.stringify([
    input.messageId,
    createHash('sha256').update(input.body).digest('hex'),
    deaths.map((d) => [d.queue, d.reason, d.exchange, d.routingKeys, d.count, d.time]),
    ['x-first-death-queue', 'x-first-death-reason', 'x-first-death-exchange', 'x-payops-redrive'].map((k) => (h[k] === undefined ? null : text(h[k]))),
    redrivePublishOf(input.headers),
  ]);
  return `copy:${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;
}

/** A dead letter as described here: `deliveryCount` is the quorum queue's x-delivery-count (how often it was put back), when it has one. */
export interface DescribedDeadLetter extends DeadLetterMessage {
  deliveryCount?: number;
  /**
   * How many times a redrive sent this message home before it died again (its mark,
   * x-payops-redrive-publish; a redrive drops the broker's x-death, which would have counted
   * it); null when an older payops redrove it without the number; absent: never redriven.
   */
  redriven?: number | null;
}

/** The x-delivery-count header a quorum queue adds to a message it delivers again (null: none). */
export function deliveryCountOf(headers: Record<string, unknown> | null): number | null {
  const v = headers?.['x-delivery-count'];
  const n = typeof v === 'number' ? v : typeof v === 'object' && v !== null && 'value' in v ? Number((v as { value: unknown }).value) : Number(text(v));
  return v === undefined || v === null || !Number.isFinite(n) ? null : n;
}

export function describeDeadLetter(input: DeadLetterInput): DescribedDeadLetter {
  const { decoded } = decodeAsConsumed({ body: input.body, headers: input.headers, contentType: input.contentType, routingKey: input.routingKey, arrivalMs: Date.now() }, input.contentEncoding);
  const deaths = deathsOf(input.headers);
  const eventId = decoded.ok ? decoded.event.id : null;
  const preview = Buffer.from(input.body.subarray(0, 512)).toString('utf8');
  const deliveryCount = deliveryCountOf(input.headers);
  const redriven = redrivePublishOf(input.headers);
  return {
    id: deadLetterId(input, eventId),
    copyId: copyIdOf(input, deaths),
    exchange: input.exchange,
    routingKey: input.routingKey,
    deaths,
    origin: originOf(input.headers, deaths),
    decoded: decoded.ok
      ? {
          ok: true,
          type: decoded.event.type,
          eventId: decoded.event.id,
          paymentId: decoded.event.paymentId,
          merchantId: decoded.event.merchantId,
          amount: decoded.event.amount,
          currency: decoded.event.currency,
          timeMs: decoded.event.timeMs,
        }
      : { ok: false, reason: decoded.reason },
    contentType: input.contentType,
    bodyPreview: preview,
    bytes: input.body.byteLength,
    ...(deliveryCount === null ? {} : { deliveryCount }),
    ...(redriven === 0 ? {} : { redriven }),
  };
}

/**
 * Headers for the re-publish: the broker's death history goes (it would be kept and grow), and
 * so does a quorum queue's x-delivery-count; a mark of the redrive comes, with `publish`: which
 * re-publish of this message (from this queue, in this audit log) it is, 1 for the first. If the
 * copy sent home is dead-lettered again, the mark (and its new deaths) make it another copy
 * (`copyIdOf`), sent again; in an audit history written before steps named their copy, the
 * number tells it apart from the copy that was confirmed but not yet removed (`earlierRedrives`).
 */
export function redriveHeaders(headers: Record<string, unknown> | null, redriveId: string, fromQueue: string, publish?: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k === 'x-death' || k === 'x-delivery-count' || k.startsWith('x-first-death-') || k.startsWith('x-last-death-')) continue;
    out[k] = v;
  }
  out['x-payops-redrive'] = redriveId;
  out['x-payops-redriven-from'] = fromQueue;
  if (publish !== undefined) out[REDRIVE_PUBLISH_HEADER] = publish;
  return out;
}

export const REDRIVE_PUBLISH_HEADER = 'x-payops-redrive-publish';

/**
 * Which re-publish made this copy of a message (the `publish` of `redriveHeaders`): 0 for the
 * original (never redriven), null for a copy redriven by an older payops (marked without the
 * number).
 */
export function redrivePublishOf(headers: Record<string, unknown> | null): number | null {
  const v = headers?.[REDRIVE_PUBLISH_HEADER];
  if (v === undefined || v === null) return headers?.['x-payops-redrive'] === undefined ? 0 : null;
  const n = typeof v === 'number' ? v : typeof v === 'object' && 'value' in v ? Number((v as { value: unknown }).value) : Number(text(v));
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** What earlier redrives did to this copy of a message, read from its audit steps (oldest first). */
export interface EarlierRedrives {
  /** Re-published from this copy and confirmed by the broker: it is home, only its removal is left. */
  sentHome: boolean;
  /** Re-published from this copy without a confirm in the log (the redrive stopped): it may be home. */
  inDoubt: boolean;
  /** Re-publishes of the message in the log, all copies: the next one is number publishes + 1. */
  publishes: number;
}

/**
 * Reads the audit steps of a message as they concern the copy now in the dead-letter queue.
 * `copy` is `redrivePublishOf` its headers (0 for steps already of this copy alone): the steps
 * after its own re-publish (the copy-th 'publishing') are those of redrives that found this copy.
 * A copy re-published and confirmed there is home: found again, it is removed, never re-sent,
 * whether or not a 'removed' follows ('removed' says the broker processed the ack; confirmed is
 * what says the copy is home); a copy of a later dead-lettering carries a later number and is
 * sent again.
 */
export function earlierRedrives(steps: readonly string[], copy: number | null): EarlierRedrives {
  const publishes = steps.filter((s) => s === 'publishing').length;
  if (copy === null) {
    // Marked by an older payops, which did not number its re-publishes: its rule (confirmed,
    // and no removal after it).
    const lastConfirmed = steps.lastIndexOf('confirmed');
    const lastPublishing = steps.lastIndexOf('publishing');
    const sentHome = lastConfirmed >= 0 && steps.indexOf('removed', lastConfirmed) < 0;
    return { sentHome, inDoubt: !sentHome && lastPublishing >= 0 && !steps.slice(lastPublishing + 1).some((s) => s === 'confirmed' || s === 'failed'), publishes };
  }
  if (copy > publishes) return { sentHome: false, inDoubt: false, publishes }; // numbered by another audit log: nothing known here
  let from = 0;
  for (let seen = 0; seen < copy; from++) if (steps[from] === 'publishing') seen++;
  // `from` is just past this copy's own 'publishing' (0 for the original): a 'publishing' from
  // here on is a re-publish of this copy: home once a 'confirmed' follows it, not home after a
  // 'failed' (refused by the broker), in doubt when neither does (the redrive stopped).
  let sentHome = false;
  let inDoubt = false;
  for (let i = from; i < steps.length; i++) {
    if (steps[i] !== 'publishing') continue;
    const next = steps.indexOf('publishing', i + 1);
    const after = steps.slice(i + 1, next < 0 ? undefined : next);
    if (after.includes('confirmed')) sentHome = true;
    else if (!after.includes('failed')) inDoubt = true;
  }
  return { sentHome, inDoubt: !sentHome && inDoubt, publishes };
}
