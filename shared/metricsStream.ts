// The metrics stream's message: what a collector publishes after each committed batch so that
// follower consoles show the same figures and alerts without receiving raw events. Versioned
// (`v`), and idempotent: (collector, seq) names one message for ever, so a follower that reads
// it twice (a crash between applying and storing its offset cannot happen, but a collector that
// re-publishes after a lost confirm can) applies it once.
import { z } from 'zod';
import { ALERT_STATES, type AlertHistoryRecord } from './alerts';

export const METRICS_MESSAGE_VERSION = 1;
export const METRICS_CONTENT_TYPE = 'application/vnd.payops.metrics+json';

const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();

/** One cell of the per-second rollups (a delta: what this batch added to the second). */
export const rollupDeltaSchema = z
  .object({
    sec: z.number().int().nonnegative(),
    /** 'type' | 'authorized' | 'decline' | 'failed' | 'decision' (store/rollupRepository.ts), 'payment' (store/paymentOutcomes.ts). */
    dim: z.string().min(1).max(32),
    key: z.string().max(200),
    count: z.number().int(),
    amount: z.number().finite(),
  })
  // A payment's start moving to an earlier second takes one from the later one: only 'payment'
  // counts may go down.
  .refine((c) => c.count >= 0 || c.dim === 'payment', { message: 'must not be negative', path: ['count'] });
export type RollupDelta = z.infer<typeof rollupDeltaSchema>;

/** The store's running counters this batch added to. */
export const counterDeltasSchema = z
  .object({
    duplicates: count,
    redelivered_duplicates: count,
    quarantined: count,
    unknown_types: count,
  })
  .partial()
  .strict();

export const queueSampleSchema = z.object({
  at: epochMs,
  queue: z.string().min(1).max(255),
  messages: count.nullable(),
  consumers: count.nullable(),
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

/** What one committed batch (or one alert save, or one queue poll) changed. */
export const metricsPayloadSchema = z.object({
  rollups: z.array(rollupDeltaSchema).max(100_000).default([]),
  counters: counterDeltasSchema.default({}),
  queueSamples: z.array(queueSampleSchema).max(1000).default([]),
  alerts: z.array(alertRecordSchema).max(10_000).default([]),
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
});
export type MetricsMessage = z.infer<typeof metricsMessageSchema>;

export type MetricsDecode = { ok: true; message: MetricsMessage } | { ok: false; reason: string };

/** Decodes one stream message; never throws: bad input is a reason naming what is wrong. */
export function decodeMetricsMessage(body: string): MetricsDecode {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: `not JSON (${body.length} bytes)` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { ok: false, reason: 'not a JSON object' };
  const v = (json as { v?: unknown }).v;
  if (v !== METRICS_MESSAGE_VERSION) return { ok: false, reason: `unknown metrics message version ${JSON.stringify(v ?? null)} (this payops reads ${METRICS_MESSAGE_VERSION})` };
  const parsed = metricsMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `malformed metrics message: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, message: parsed.data };
}

/** Whether a payload carries anything (an empty one is not published). */
export function isEmptyPayload(p: MetricsPayload): boolean {
  return p.rollups.length === 0 && Object.keys(p.counters).length === 0 && p.queueSamples.length === 0 && p.alerts.length === 0;
}
