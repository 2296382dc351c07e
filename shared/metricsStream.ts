// The metrics stream's message: what a collector publishes after each committed batch so that
// follower consoles show the same figures and alerts without receiving raw events. Versioned
// (`v`), and idempotent: (collector, seq) names one message for ever, so a follower that reads
// it twice (a crash between applying and storing its offset cannot happen, but a collector that
// re-publishes after a lost confirm can) applies it once.
import { z } from 'zod';
import { countText } from './countText';
import { ALERT_STATES, type AlertHistoryRecord } from './alerts';
import { runbookUrlInput } from './alertRules';

export const METRICS_MESSAGE_VERSION = 1;
export const METRICS_CONTENT_TYPE = 'application/vnd.payops.metrics+json';

/**
 * The most a count in one message may be: a message is one committed batch, and no batch holds
 * anywhere near this many events (the default is 2,000). Larger is not a collector's.
 */
export const MAX_MESSAGE_COUNT = 10_000_000;
/** Distinct event types one message may carry (ten are known; unknown ones are rare). */
export const MAX_TYPES_PER_MESSAGE = 1000;
/** How far a time in a message may be ahead of the message's own time, and that of now. */
export const MAX_AHEAD_MS = 24 * 3600_000;
/** The event times an RFC 3339 timestamp can spell, in epoch seconds (0000-01-01 .. 9999-12-31T23:59:59). */
const FIRST_EVENT_SECOND = -62_167_219_200; // 0000-01-01T00:00:00Z
const LAST_EVENT_SECOND = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;
/**
 * How far a collector's sequence can go back by a re-publication: the publisher sends at most
 * this many messages before it waits for their confirms, and only unconfirmed ones are sent again.
 */
export const REPUBLISH_WINDOW = 500;

/** A rule's description (2,000 characters at most) after its condition in words. */
export const MAX_ALERT_DESCRIPTION = 4000;

const count = z.number().int().nonnegative().max(MAX_MESSAGE_COUNT);
const epochMs = z.number().int().nonnegative();

/** The rollup dimensions a collector writes (store/eventWriter.ts, store/paymentOutcomes.ts). */
export const ROLLUP_DIMS = ['type', 'authorized', 'decline', 'failed', 'decision', 'payment'] as const;
export type RollupDim = (typeof ROLLUP_DIMS)[number];
const rollupDims: ReadonlySet<string> = new Set(ROLLUP_DIMS);
export function isRollupDim(dim: string): dim is RollupDim {
  return rollupDims.has(dim);
}
const CURRENCY_KEY = /^([A-Z]{3})?$/;
const DECISION_KEYS: ReadonlySet<string> = new Set(['approve', 'review', 'block', 'unknown']);
const PAYMENT_KEYS: ReadonlySet<string> = new Set(['started', 'approved']);
/**
 * An event type a rollup key can be: printable, 1 to 200 characters. The decoder accepts any
 * non-empty string; the store quarantines an unknown type that is not one of these
 * (eventWriter.ts's ROLLUP_TYPE, held equal by a test), so no collector publishes a cell that
 * followers refuse.
 */
export const EVENT_TYPE = /^[^\u0000-\u001f\u007f]{1,200}$/;

/** What a cell's key must be for its dimension, or null when it is one a collector writes. */
function keyProblem(dim: string, key: string): string | null {
  if (!isRollupDim(dim)) return null;
  switch (dim) {
    case 'type':
      return EVENT_TYPE.test(key) ? null : 'must be an event type name (1 to 200 printable characters)';
    case 'authorized':
    case 'failed':
      return CURRENCY_KEY.test(key) ? null : 'must be an ISO 4217 currency code';
    case 'decision':
      return DECISION_KEYS.has(key) ? null : 'must be a risk decision (approve, review, block, unknown)';
    case 'payment':
      return PAYMENT_KEYS.has(key) ? null : 'must be started or approved';
    case 'decline':
      return key.length > 0 ? null : 'must be a decline code';
  }
}

/** What a cell's amount must be for its dimension, or null when it is in range. */
function amountProblem(c: { dim: string; count: number; amount: number }): string | null {
  if (!isRollupDim(c.dim)) return null;
  switch (c.dim) {
    case 'authorized':
    case 'failed':
      return Number.isSafeInteger(c.amount) && c.amount >= 0 ? null : 'must be a whole, non-negative number of minor units (a safe integer)';
    case 'decision':
      // The sum of the cell's risk scores, each 0 to 100.
      return Number.isFinite(c.amount) && c.amount >= 0 && c.amount <= 100 * Math.max(0, c.count) ? null : 'must be a sum of risk scores (0 to 100 each)';
    default:
      return c.amount === 0 ? null : `must be 0 for dim ${c.dim}`;
  }
}

/** One cell of the per-second rollups (a delta: what this batch added to the second). */
export const rollupDeltaSchema = z
  .object({
    // Event time: rangeProblem bounds it to the years 0000-9999 a collector stores (before 1970 is negative).
    sec: z.number().int(),
    /** 'type' | 'authorized' | 'decline' | 'failed' | 'decision' (store/rollupRepository.ts), 'payment' (store/paymentOutcomes.ts). */
    dim: z.string().refine((d) => rollupDims.has(d), { message: `must be one of ${ROLLUP_DIMS.join(', ')}` }),
    key: z.string().max(200),
    count: z.number().int().min(-MAX_MESSAGE_COUNT).max(MAX_MESSAGE_COUNT),
    amount: z.number().finite(),
  })
  // A payment's start moving to an earlier second takes one from the later one: only 'payment'
  // counts may go down.
  .superRefine((c, ctx) => {
    if (c.count < 0 && c.dim !== 'payment') ctx.addIssue({ code: 'custom', message: 'must not be negative', path: ['count'] });
    const key = keyProblem(c.dim, c.key);
    if (key) ctx.addIssue({ code: 'custom', message: key, path: ['key'] });
    const amount = amountProblem(c);
    if (amount) ctx.addIssue({ code: 'custom', message: amount, path: ['amount'] });
  });
export type RollupDelta = z.infer<typeof rollupDeltaSchema>;

/**
 * The store's running counters this batch added to. A counter this payops does not know (a
 * newer collector's) is left out, not a reason to skip the message: the batch's rollups and
 * the other counters still apply.
 */
export const counterDeltasSchema = z
  .object({
    duplicates: count,
    redelivered_duplicates: count,
    quarantined: count,
    unknown_types: count,
    /** Of quarantined: same source and id as a stored event, another body. */
    conflicting_duplicates: count,
  })
  .partial()
  .strip();

export const queueSampleSchema = z.object({
  at: epochMs,
  queue: z.string().min(1).max(255),
  messages: count.nullable(),
  consumers: count.nullable(),
  /**
   * Seconds the queue's head message had waited (QueueStatsExtra.oldestMessageAgeSeconds); null
   * where the collector did not measure it. Absent from older collectors (read as null).
   */
  oldestMessageAgeSeconds: z.number().finite().nonnegative().nullable().optional(),
});

const noteSchema = z.object({ by: z.string().max(200), note: z.string().max(10_000), at: epochMs }).nullable();

/** An alert instance as the collector's history holds it after a transition (saved whole: idempotent). */
export const alertRecordSchema = z.object({
  key: z.string().min(1).max(500),
  rule: z.string().min(1).max(200),
  severity: z.enum(['critical', 'warning', 'info']),
  labels: z.record(z.string(), z.string()),
  group: z.string().max(500),
  state: z.enum(ALERT_STATES),
  summary: z.string().max(2000),
  /**
   * The rule's metric, the unit of value and peakValue, so a follower's notification reads as
   * the collector's ("20 %"). Absent from older collectors; an older follower drops it (not strict).
   */
  metric: z.string().max(100).optional(),
  /**
   * The rule's runbook (the collector removed any secret from it) and description, so a
   * follower's alert list, notifications and reports link the runbook as the collector's do.
   * Held to what a rules file may say (an http(s) URL or a relative docs path: never a
   * javascript: link); absent from older collectors, dropped by older followers (not strict).
   */
  runbookUrl: runbookUrlInput.optional(),
  description: z.string({ error: 'must be a string' }).max(MAX_ALERT_DESCRIPTION, { error: `must be at most ${MAX_ALERT_DESCRIPTION} characters` }).optional(),
  value: z.number().nullable(),
  peakValue: z.number().nullable(),
  activeSince: epochMs,
  firedAt: epochMs.nullable(),
  resolvedAt: epochMs.nullable(),
  endedAt: epochMs.nullable(),
  silenced: z.boolean(),
  acknowledged: noteSchema,
  resolveNote: noteSchema,
  transitions: z.array(z.object({ state: z.enum(ALERT_STATES), at: epochMs })).max(10_000),
}) satisfies z.ZodType<AlertHistoryRecord>;

/**
 * Where the collector's events come from: a stream it re-reads from its stored offset after a
 * restore (what it publishes again are the same figures), or a queue (what it publishes after
 * a restore is new).
 */
export const METRICS_INTAKES = ['stream', 'queue'] as const;
export type MetricsIntake = (typeof METRICS_INTAKES)[number];

/** What one committed batch (or one alert save, or one queue poll) changed. */
export const metricsPayloadSchema = z.object({
  rollups: z.array(rollupDeltaSchema).max(100_000).default([]),
  counters: counterDeltasSchema.default({}),
  queueSamples: z.array(queueSampleSchema).max(1000).default([]),
  alerts: z.array(alertRecordSchema).max(10_000).default([]),
  /**
   * The collector process that numbered this message: a random id chosen at each start and
   * written into the outbox with the payload, so a message published again after a restart
   * keeps the id of the process that first numbered it. Absent from older collectors.
   */
  incarnation: z.string().min(1).max(64).optional(),
  /**
   * Where the process that numbered this message read its events (a stream or a queue): a
   * follower applies a restored queue-fed collector's new figures at once, and drops a
   * stream-fed one's republished figures. Absent from older collectors (treated as a stream).
   */
  // An intake a later collector names (not known here) reads as none: the message is applied, not skipped.
  intake: z.enum(METRICS_INTAKES).optional().catch(undefined),
});
export type MetricsPayload = z.infer<typeof metricsPayloadSchema>;

export const metricsMessageSchema = metricsPayloadSchema.extend({
  v: z.literal(METRICS_MESSAGE_VERSION),
  /** The publishing collector's id (its database's console id). */
  collector: z.string().min(1).max(200),
  /** 1, 2, 3 ... per collector, never reused: the follower applies each seq once. */
  seq: z.number().int().positive(),
  /** When the collector committed what this message carries. */
  at: epochMs,
  /**
   * The collector process that published this message (its incarnation). Equal to
   * `incarnation` when the process numbered the message itself; a re-publication of a row an
   * earlier process numbered differs. Absent from older collectors.
   */
  by: z.string().min(1).max(64).optional(),
});
export type MetricsMessage = z.infer<typeof metricsMessageSchema>;

export type MetricsDecode = { ok: true; message: MetricsMessage } | { ok: false; reason: string };

/**
 * What no collector can publish although the schema's shapes allow it: a message or queue
 * sample stamped more than a day ahead of now or of the message (the collector's wall clock),
 * an event time no RFC 3339 timestamp can spell, more distinct event types than one batch can
 * carry. Null when the message is in range, else the field and why. An event stamped years
 * ahead is a producer's wrong clock, which the collector stores: its rollups are not refused here.
 */
export function rangeProblem(m: MetricsMessage, nowMs: number): string | null {
  if (m.at > nowMs + MAX_AHEAD_MS) return `at: ${new Date(m.at).toISOString()} is more than a day ahead of now`;
  const latestMs = m.at + MAX_AHEAD_MS;
  const types = new Set<string>();
  for (let i = 0; i < m.rollups.length; i++) {
    const c = m.rollups[i];
    // Event time: a collector stores any time an RFC 3339 timestamp can spell (years 0000-9999).
    if (c.sec > LAST_EVENT_SECOND || c.sec < FIRST_EVENT_SECOND) return `rollups.${i}.sec: ${c.sec} is no time an event can have (years 0000 to 9999)`;
    if (c.dim === 'type') types.add(c.key);
  }
  if (types.size > MAX_TYPES_PER_MESSAGE) return `rollups: ${types.size} distinct event types in one message (at most ${MAX_TYPES_PER_MESSAGE})`;
  for (let i = 0; i < m.queueSamples.length; i++) {
    if (m.queueSamples[i].at > latestMs) return `queueSamples.${i}.at: more than a day ahead of the message's time`;
  }
  for (let i = 0; i < m.alerts.length; i++) {
    const a = m.alerts[i];
    const times: [string, number | null][] = [
      ['activeSince', a.activeSince],
      ['firedAt', a.firedAt],
      ['resolvedAt', a.resolvedAt],
      ['endedAt', a.endedAt],
      ['acknowledged.at', a.acknowledged?.at ?? null],
      ['resolveNote.at', a.resolveNote?.at ?? null],
      ...a.transitions.map((t, j): [string, number] => [`transitions.${j}.at`, t.at]),
    ];
    // The alerting clock is event time too: bounded as events are.
    for (const [field, t] of times) if (t !== null && (t > LAST_EVENT_SECOND * 1000 + 999 || t < FIRST_EVENT_SECOND * 1000)) return `alerts.${i}.${field}: no time an event can have (years 0000 to 9999)`;
  }
  return null;
}

/**
 * Decodes one stream message (its bytes as received, or their text); never throws: bad input is
 * a reason naming what is wrong. A body that is not JSON is measured in bytes, as it came off the
 * wire (UTF-8), not in the characters it decodes to.
 */
export function decodeMetricsMessage(body: string | Uint8Array, nowMs: number = Date.now()): MetricsDecode {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body.byteLength;
    return { ok: false, reason: `not JSON (${countText(bytes, 'byte')})` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { ok: false, reason: 'not a JSON object' };
  const v = (json as { v?: unknown }).v;
  if (v !== METRICS_MESSAGE_VERSION) return { ok: false, reason: `unknown metrics message version ${JSON.stringify(v ?? null)} (this payops reads ${METRICS_MESSAGE_VERSION})` };
  const parsed = metricsMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `malformed metrics message: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const range = rangeProblem(parsed.data, nowMs);
  if (range) return { ok: false, reason: `out of range: ${range}` };
  return { ok: true, message: parsed.data };
}

/** Whether a payload carries anything (an empty one is not published). */
export function isEmptyPayload(p: MetricsPayload): boolean {
  return p.rollups.length === 0 && Object.keys(p.counters).length === 0 && p.queueSamples.length === 0 && p.alerts.length === 0;
}
