// The event contract of ../shared/EVENTS.md, as types both sides import.

export const PAYMENT_TYPES = [
  'payment.initiated',
  'payment.authorized',
  'payment.declined',
  'payment.captured',
  'payment.refunded',
  'payment.failed',
  'payment.chargeback',
] as const;

export const RISK_TYPES = ['risk.scored', 'risk.flagged', 'risk.blocked'] as const;

export const KNOWN_TYPES = [...PAYMENT_TYPES, ...RISK_TYPES] as const;

export type PaymentType = (typeof PAYMENT_TYPES)[number];
export type RiskType = (typeof RISK_TYPES)[number];
export type KnownType = PaymentType | RiskType;
export type EventCategory = 'payment' | 'risk' | 'unknown';
export type RiskDecision = 'approve' | 'review' | 'block';

const paymentTypeSet: ReadonlySet<string> = new Set(PAYMENT_TYPES);
const riskTypeSet: ReadonlySet<string> = new Set(RISK_TYPES);

export function categoryOf(type: string): EventCategory {
  if (paymentTypeSet.has(type)) return 'payment';
  if (riskTypeSet.has(type)) return 'risk';
  return 'unknown';
}

/**
 * One stored event, flattened: the columns the store indexes and the metrics read,
 * plus the whole CloudEvent as JSON text for the detail view and captures.
 */
export interface NormalizedEvent {
  source: string;
  id: string;
  type: string;
  category: EventCategory;
  /** Event time (epoch ms); null only for unknown types that carry no `time`. */
  timeMs: number | null;
  subject: string | null;
  paymentId: string | null;
  merchantId: string | null;
  amount: number | null;
  currency: string | null;
  country: string | null;
  method: string | null;
  cardBin: string | null;
  latencyMs: number | null;
  declineCode: string | null;
  score: number | null;
  decision: RiskDecision | null;
  /** Optional payment dimensions (EVENTS.md); absent on older producers' events and on risk events. */
  dimensions?: PaymentDimensions;
  /** The CloudEvent as event_log stores it: its text without what the columns hold (storedEnvelope.ts). */
  json: string;
}

/** The optional dimensions operators slice acceptance by; null when the producer left one out. */
export interface PaymentDimensions {
  issuer: string | null;
  scheme: string | null;
  acquirer: string | null;
  mcc: string | null;
  threeDS: string | null;
  attempt: number | null;
}

/** The dimensions of a payment event's `data` (as decoded, or as stored), each null where left out. */
export function paymentDimensionsOf(d: Partial<PaymentDimensions>): PaymentDimensions {
  return {
    issuer: d.issuer ?? null,
    scheme: d.scheme ?? null,
    acquirer: d.acquirer ?? null,
    mcc: d.mcc ?? null,
    threeDS: d.threeDS ?? null,
    attempt: d.attempt ?? null,
  };
}

/** What arrived, as the transport gave it: enough to decode, quarantine or capture. */
export interface RawMessage {
  body: Uint8Array;
  /** AMQP headers (binary mode attributes live here). */
  headers?: Record<string, unknown> | null;
  /** AMQP content-type property. */
  contentType?: string | null;
  routingKey?: string | null;
  /** Arrival time (epoch ms). */
  arrivalMs: number;
}

export type DecodeResult =
  | { ok: true; event: NormalizedEvent }
  | {
      ok: false;
      reason: string;
      /** Set when the body was refused unread for its size alone: the limit it exceeded (bytes). */
      bodyLimit?: number;
    };
