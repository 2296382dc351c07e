// Reading a dead-lettered message: its x-death history (newest death first, as the broker
// keeps it), its origin (the exchange and routing key of its first death: where it was
// published), a stable id, and what the console's decoder would make of it.
import { createHash } from 'node:crypto';
import { decodeMessage } from '../../../shared/events/decode';
import type { DeadLetterMessage, DeadLetterOrigin, DeathRecord } from '../../../shared/deadLetters';

export interface DeadLetterInput {
  body: Uint8Array;
  headers: Record<string, unknown> | null;
  contentType: string | null;
  messageId: string | null;
  exchange: string;
  routingKey: string;
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

export function describeDeadLetter(input: DeadLetterInput): DeadLetterMessage {
  const decoded = decodeMessage({ body: input.body, headers: input.headers, contentType: input.contentType, routingKey: input.routingKey, arrivalMs: Date.now() });
  const deaths = deathsOf(input.headers);
  const eventId = decoded.ok ? decoded.event.id : null;
  const preview = Buffer.from(input.body.subarray(0, 512)).toString('utf8');
  return {
    id: deadLetterId(input, eventId),
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
  };
}

/** Headers for the re-publish: the broker's death history goes (it would be kept and grow), a mark of the redrive comes. */
export function redriveHeaders(headers: Record<string, unknown> | null, redriveId: string, fromQueue: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k === 'x-death' || k.startsWith('x-first-death-') || k.startsWith('x-last-death-')) continue;
    out[k] = v;
  }
  out['x-payops-redrive'] = redriveId;
  out['x-payops-redriven-from'] = fromQueue;
  return out;
}
