// The triage contract (issue 13): explain a change of a rate across every dimension, and the
// segment health board. One schema per request, used by IPC, the web host and the CLI alike.
import { z } from 'zod';
import type { AlertView } from './alerts';
import { SEGMENT_DIMENSIONS, type SegmentDimension } from './segments';

export const TRIAGE_METRICS = ['approval-rate', 'decline-rate', 'failure-rate'] as const;
export type TriageMetric = (typeof TRIAGE_METRICS)[number];

/**
 * A time a Date holds (8.64e15 ms either way: -271821-04-20 to +275760-09-13): the answers give
 * their times as ISO text. Before 1970 included: events of the years 0000-9999 are stored (a
 * producer with a zeroed clock stamps 1969-12-31), and explain and the board read their minutes.
 */
const epochMs = z
  .number({ error: 'must be a time (epoch ms)' })
  .int()
  .min(-8.64e15, { error: 'must be a time after the year -271821' })
  .max(8.64e15, { error: 'must be a time before the year 275760' });

export const explainRequestSchema = z
  .object({
    from: epochMs,
    to: epochMs,
    baselineFrom: epochMs.optional(),
    baselineTo: epochMs.optional(),
    metric: z.enum(TRIAGE_METRICS, { error: `must be one of ${TRIAGE_METRICS.join(', ')}` }).default('approval-rate'),
  })
  .strict()
  .refine((r) => r.to > r.from, { error: 'must be after from', path: ['to'] })
  .refine((r) => (r.baselineFrom === undefined) === (r.baselineTo === undefined), {
    error: 'give both baseline-from and baseline-to, or neither',
    path: ['baselineFrom'],
  })
  .refine((r) => r.baselineFrom === undefined || r.baselineTo === undefined || r.baselineTo > r.baselineFrom, {
    error: 'must be after baseline-from',
    path: ['baselineTo'],
  })
  // Half-open periods: a baseline may end where the window starts, or start where it ends.
  .refine((r) => r.baselineFrom === undefined || r.baselineTo === undefined || r.baselineTo <= r.from || r.baselineFrom >= r.to, {
    error: 'the baseline must not overlap the window (its attempts would be compared with themselves): end it at from or start it at to',
    path: ['baselineFrom'],
  });

export const healthRequestSchema = z
  .object({
    /** The board's "now" (epoch ms; default: the newest minute stored). */
    at: epochMs.optional(),
    /** Minutes judged (the recent window). */
    windowMinutes: z.number().int().min(1).max(120).default(5),
    /** Minutes before the window that teach each segment its own baseline. */
    baselineMinutes: z.number().int().min(5).max(7 * 24 * 60).default(60),
  })
  .strict();

export const triageRequestSchemas = {
  'triage.explain': explainRequestSchema,
  'triage.health': healthRequestSchema,
} as const;

export interface PeriodFigures {
  from: string;
  to: string;
  /** The metric's value, 0..1 (null when there were no attempts). */
  value: number | null;
  attempts: number;
}

export type EffectKind = 'rate' | 'mix' | 'both';

export interface Contributor {
  dimension: SegmentDimension;
  value: string;
  effect: EffectKind;
  /** Points of the metric (signed, 0..1 scale) this segment moved the overall value: rate + mix. */
  contribution: number;
  /** Its own rate changed (Kitagawa rate effect). */
  rateEffect: number;
  /** Its share of traffic changed (Kitagawa mix effect). */
  mixEffect: number;
  /** contribution / overall change (1 = all of it). */
  shareOfChange: number | null;
  significant: boolean;
  window: { attempts: number; value: number | null };
  baseline: { attempts: number; value: number | null };
  /** The decline codes of this segment that grew significantly, most first (approval and decline rates). */
  topCodes: string[];
  /**
   * Present when the health board's verdict on this segment over the same window and baseline is
   * degraded or down (for this metric): its state and reason, as the board words it. Such a
   * contributor is significant whether or not the whole moved.
   */
  health?: { state: Exclude<SegmentState, 'ok'>; reason: string };
}

export interface DeclineCodeGrowth {
  code: string;
  meaning: string;
  kind: 'soft' | 'hard';
  window: { count: number; perAttempt: number };
  baseline: { count: number; perAttempt: number };
  significant: boolean;
}

export interface Explanation {
  metric: TriageMetric;
  significant: boolean;
  /**
   * How much more the rate wandered between baseline slices as long as the window than chance
   * alone would make it (at least 1): the overall change's test widens its variance by it.
   */
  overdispersion: number;
  /** Attempts are authorized + declined + failed events (per attempt, not per payment). */
  basis: 'per attempt';
  window: PeriodFigures;
  baseline: PeriodFigures;
  contributors: Contributor[];
  declineCodes: DeclineCodeGrowth[];
  /** The sentence an operator reads aloud. */
  headline: string;
}

export type SegmentState = 'ok' | 'degraded' | 'down';

/**
 * How a segment's approval is judged: per payment (approvals over payments, the attempts that are
 * a payment's first: retries of one paymentId are one payment) where its rollups count payments
 * on both sides, per attempt where they do not (minutes stored before payops counted them).
 * Failures are always per attempt.
 */
export type HealthBasis = 'per payment' | 'per attempt';

/** A period of one segment. `approval` and `failure` are per attempt; `paymentApproval` per payment. */
export interface SegmentHealthFigures {
  attempts: number;
  approval: number | null;
  failure: number | null;
  /** First attempts (null: not counted in some of these minutes). */
  payments: number | null;
  /** Approvals over payments (null when payments are unknown or none). */
  paymentApproval: number | null;
}

export interface SegmentHealth {
  dimension: SegmentDimension;
  value: string;
  state: SegmentState;
  reason: string;
  /** False below the volume floor: too few payments (attempts where judged per attempt) to judge (shown, never degraded or down). */
  judged: boolean;
  /** The approval its state was judged on (the reason says it too). */
  basis: HealthBasis;
  window: SegmentHealthFigures;
  baseline: SegmentHealthFigures;
}

export interface HealthBoard {
  from: string;
  to: string;
  /** How approval was judged: every judged segment per payment, every one per attempt, or some of each ('mixed'). */
  basis: HealthBasis | 'mixed';
  volumeFloor: number;
  segments: SegmentHealth[];
}

export interface TriageResults {
  'triage.explain': Explanation;
  'triage.health': HealthBoard;
}

export const HEALTH_DIMENSIONS: readonly SegmentDimension[] = SEGMENT_DIMENSIONS.filter((d) =>
  ['issuer', 'cardBin', 'acquirer', 'scheme', 'country', 'method', 'merchantId'].includes(d),
);

/** An issuer and a BIN within this fraction of each other's attempts and contribution are one segment: named together. */
const SAME_CHANGE = 0.9;

/**
 * The issuer of a BIN contributor, or the BIN of an issuer one, when both moved the metric the
 * same way with the same traffic: one segment seen from two dimensions (an issuer's only BIN).
 * The headline names them together and the click-through filters the explorer by both.
 */
export function twinOf(e: Pick<Explanation, 'contributors'>, top: Contributor): Contributor | undefined {
  const pair = top.dimension === 'issuer' ? 'cardBin' : top.dimension === 'cardBin' ? 'issuer' : null;
  return e.contributors.find(
    (c) =>
      c.dimension === pair &&
      c.significant &&
      Math.abs(c.contribution) >= SAME_CHANGE * Math.abs(top.contribution) &&
      c.window.attempts >= SAME_CHANGE * top.window.attempts &&
      c.window.attempts * SAME_CHANGE <= top.window.attempts,
  );
}

const MINUTE_MS = 60_000;

/**
 * The rate an alert is explained by: its rule's metric when the alert says it (a live AlertView),
 * else what the rule's name says (alert history keeps no metric): failure alerts by the failure
 * rate, decline alerts by the decline rate, every other one by approval.
 */
export function metricOfAlert(a: Pick<AlertView, 'rule' | 'metric'>): TriageMetric {
  if (a.metric === 'failure_rate') return 'failure-rate';
  if (a.metric === 'decline_rate') return 'decline-rate';
  if (a.metric === 'approval_rate') return 'approval-rate';
  if (/fail|acquirer-down/.test(a.rule)) return 'failure-rate';
  return /decline/.test(a.rule) ? 'decline-rate' : 'approval-rate';
}

/**
 * From when it became active (pending, then firing) to its resolution (or now), at least a
 * minute. Not earlier than that: explain compares the window with the minutes before it, and
 * those must be the calm ones.
 */
export function alertWindow(a: Pick<AlertView, 'firedAt' | 'resolvedAt' | 'activeSince'>, now: number): { from: number; to: number } {
  const from = a.activeSince ?? a.firedAt ?? now - 5 * MINUTE_MS;
  const to = Math.max(a.resolvedAt ?? now, from + MINUTE_MS);
  return { from, to };
}
