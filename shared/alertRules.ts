// Alert rules as operators write them (YAML or JSON kept in version control), and the
// validation both the engine and the renderer's rule editor run. Validation never throws
// on bad input: it returns issues that name the rule and the field, so an operator can fix
// the file without reading a stack trace.
import { z } from 'zod';
import { KNOWN_TYPES } from './events/eventTypes';
import type { Severity } from './alerts';

export const ALERT_METRICS = [
  'throughput',
  'approval_rate',
  'decline_rate',
  'failure_rate',
  'risk_flagged_count',
  'risk_flagged_rate',
  'risk_blocked_count',
  'risk_blocked_rate',
  'risk_score_p95',
  'arrival_lag_p95',
  'queue_depth',
  'queue_depth_growth',
  'queue_delay_seconds',
  'queue_drain_seconds',
  'queue_stalled_seconds',
  'queue_oldest_message_age_seconds',
  'consumer_count',
  'no_data',
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export type MetricUnit = 'ratio' | 'per_second' | 'count' | 'score' | 'ms' | 'messages' | 'per_minute' | 'consumers' | 'seconds';

/** What each metric is and how to show it; queue metrics read polled queue depths, the rest read events. */
export const METRIC_INFO: Record<AlertMetric, { label: string; unit: MetricUnit; source: 'events' | 'queues' }> = {
  throughput: { label: 'throughput', unit: 'per_second', source: 'events' },
  approval_rate: { label: 'approval rate', unit: 'ratio', source: 'events' },
  decline_rate: { label: 'decline rate', unit: 'ratio', source: 'events' },
  failure_rate: { label: 'failure rate', unit: 'ratio', source: 'events' },
  risk_flagged_count: { label: 'risk flagged', unit: 'count', source: 'events' },
  risk_flagged_rate: { label: 'risk flagged rate', unit: 'ratio', source: 'events' },
  risk_blocked_count: { label: 'risk blocked', unit: 'count', source: 'events' },
  risk_blocked_rate: { label: 'risk blocked rate', unit: 'ratio', source: 'events' },
  risk_score_p95: { label: 'risk score p95', unit: 'score', source: 'events' },
  arrival_lag_p95: { label: 'arrival lag p95', unit: 'ms', source: 'events' },
  queue_depth: { label: 'queue depth', unit: 'messages', source: 'queues' },
  queue_depth_growth: { label: 'queue depth growth', unit: 'per_minute', source: 'queues' },
  queue_delay_seconds: { label: 'queue delay', unit: 'seconds', source: 'queues' },
  queue_drain_seconds: { label: 'time to drain', unit: 'seconds', source: 'queues' },
  queue_stalled_seconds: { label: 'queue stalled', unit: 'seconds', source: 'queues' },
  queue_oldest_message_age_seconds: { label: 'oldest message waited', unit: 'seconds', source: 'queues' },
  consumer_count: { label: 'consumers', unit: 'consumers', source: 'queues' },
  no_data: { label: 'events', unit: 'count', source: 'events' },
};

/** Segment dimensions (issue 13) an event rule may also group by, named as the event field. */
export const SEGMENT_GROUP_BY = ['issuer', 'cardBin', 'scheme', 'acquirer', 'mcc', 'method', 'threeDS'] as const;
export const GROUP_BY = ['merchant', 'country', 'queue', ...SEGMENT_GROUP_BY] as const;
export type AlertGroupBy = (typeof GROUP_BY)[number];
export const EVENT_TYPE_NAMES = [...KNOWN_TYPES, 'unknown'] as const;

/** Longest window a rule may use: it bounds the per-second buckets kept per group. */
export const MAX_WINDOW_MS = 60 * 60 * 1000;

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** "90s", "5m", "1h30m", "2d" or a number of seconds, in ms; null when it is not a duration. */
export function parseDuration(value: unknown): number | null {
  // A duration too long to represent (1e306 seconds, 400 nines of days) is not a duration.
  const finite = (ms: number) => (Number.isFinite(ms) ? ms : null);
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? finite(Math.round(value * 1000)) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const m = DURATION.exec(text);
  if (!text || !m) return null;
  const [, d, h, min, s] = m.map((part) => Number(part ?? 0));
  return finite((((d * 24 + h) * 60 + min) * 60 + s) * 1000);
}

/** The short form used in summaries: 300000 -> "5m", 5400000 -> "1h30m". */
export function formatDuration(ms: number): string {
  let s = Math.round(ms / 1000);
  if (s === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}

// The unions carry the refinement's words: YAML reads 1e400 and .inf as Infinity, which no
// branch takes, and zod would say only "Invalid input".
const DURATION_TEXT = 'must be a duration like 30s, 5m, 1h30m (or a number of seconds)';
const durationInput = z.union([z.string(), z.number()], { error: DURATION_TEXT }).refine((v) => parseDuration(v) !== null, { error: DURATION_TEXT });

/** Longest for, keepFiringFor, baseline half-life or warmup, policy interval or SLO period. */
export const MAX_DURATION_MS = 365 * 86_400_000;

/** A duration between `minMs` and `maxMs`: 99999999999d is a typo, not a rule that never fires. */
export function boundedDuration(maxMs: number, maxText: string, minMs = 0, minText = '') {
  return z
    .union([z.string(), z.number()], { error: DURATION_TEXT })
    .refine((v) => parseDuration(v) !== null, { error: DURATION_TEXT })
    .refine((v) => (parseDuration(v) ?? 0) <= maxMs, { error: `must be at most ${maxText}` })
    .refine((v) => (parseDuration(v) ?? minMs) >= minMs, { error: `must be at least ${minText}` });
}
const yearDuration = boundedDuration(MAX_DURATION_MS, '365d (1 year)');

/** A threshold: a number, or a percentage string ("10%") for ratio metrics. */
const THRESHOLD_TEXT = 'must be a finite number, or a percentage such as "10%"';
const thresholdInput = z.union([z.number(), z.string()], { error: THRESHOLD_TEXT }).refine((v) => parseThreshold(v) !== null, { error: THRESHOLD_TEXT });

export function parseThreshold(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  return m ? Number(m[1]) / 100 : null;
}

const baselineInput = z.strictObject({
  /** Which way a deviation counts. */
  direction: z.enum(['above', 'below', 'both'], { error: 'must be above, below or both' }).optional(),
  /** How many (exponentially weighted) standard deviations away from the mean. */
  deviations: z.number().positive({ error: 'must be a number > 0' }).max(100).optional(),
  /** ...and at least this far from the mean, so a flat baseline does not fire on noise. */
  minDelta: thresholdInput.optional(),
  /** How fast the baseline forgets, over event time. */
  halfLife: yearDuration.optional(),
  /** How long the baseline learns before it may fire (with a prior: how much the prior weighs, in learned time). */
  warmup: yearDuration.optional(),
  /**
   * What the value usually is before anything is learned (a cold start): the rule judges
   * against it from the first tick instead of staying blind for the warm-up.
   */
  prior: z
    .strictObject({
      mean: thresholdInput,
      deviation: thresholdInput,
    })
    .optional(),
});

const conditionInput = z.strictObject({
  above: thresholdInput.optional(),
  below: thresholdInput.optional(),
  baseline: baselineInput.optional(),
});

const nameInput = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' })
  .regex(/^[A-Za-z0-9][\w.-]*$/, { error: 'letters, digits, "." "_" "-" only, starting with a letter or digit' });

const labelName = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * The labels a rule sets on its alerts. Names are checked on the object as read, before zod's
 * record: it leaves `__proto__` out without a word, and says only "Invalid key in record" of a
 * bad name. Names starting with __ are Prometheus's internal ones.
 */
export const ruleLabels = z
  .any()
  .superRefine((v, ctx) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    for (const k of Object.keys(v)) {
      if (!labelName.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'label names are letters, digits and _' });
      else if (k.startsWith('__')) ctx.addIssue({ code: 'custom', path: [k], message: 'label names starting with __ are reserved (as in Prometheus)' });
    }
  })
  .pipe(z.record(z.string(), z.string().max(256)));
/** Labels every alert gets from its rule and group; a rule may not set them. */
const RESERVED_LABELS: ReadonlySet<string> = new Set(['alertname', 'severity', ...GROUP_BY]);

/**
 * A rule's runbook: an http(s) URL or a relative docs path, nothing a link could run
 * (javascript:, data:). The metrics stream holds a collector's to the same form.
 */
export const runbookUrlInput = z
  .string({ error: 'must be a string' })
  .max(2048, { error: 'must be at most 2048 characters' })
  .regex(/^(https?:\/\/\S+|[\w./#-]+)$/, { error: 'must be an http(s) URL or a relative docs path' });

/** One rule as written in the file. */
export const alertRuleInputSchema = z.strictObject({
  name: nameInput,
  description: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(2000),
  runbookUrl: runbookUrlInput.nullish(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  severity: z.enum(['critical', 'warning', 'info'], { error: 'must be critical, warning or info' }),
  metric: z.enum(ALERT_METRICS, { error: `must be one of ${ALERT_METRICS.join(', ')}` }),
  eventTypes: z
    .array(z.enum(EVENT_TYPE_NAMES, { error: `must be event types (${EVENT_TYPE_NAMES.join(', ')})` }))
    .min(1, { error: 'must list at least one event type' })
    .optional(),
  queues: z.array(z.string().min(1).max(255)).min(1, { error: 'must list at least one queue' }).max(256).optional(),
  condition: conditionInput.optional(),
  window: durationInput,
  for: yearDuration.optional(),
  keepFiringFor: yearDuration.optional(),
  groupBy: z.enum(GROUP_BY, { error: `must be one of ${GROUP_BY.join(', ')}` }).nullish(),
  minVolume: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must be >= 0' }).optional(),
  noDataState: z.enum(['nodata', 'normal', 'alerting'], { error: 'must be nodata, normal or alerting' }).optional(),
  labels: ruleLabels.optional(),
  /** Hysteresis: a firing `above` rule recovers only once the value is below this. */
  recoverBelow: thresholdInput.optional(),
  /** Hysteresis: a firing `below` rule recovers only once the value is above this. */
  recoverAbove: thresholdInput.optional(),
});
export type AlertRuleInput = z.input<typeof alertRuleInputSchema>;

export type AlertCondition =
  | { kind: 'above'; threshold: number }
  | { kind: 'below'; threshold: number }
  | {
      kind: 'baseline';
      direction: 'above' | 'below' | 'both';
      deviations: number;
      minDelta: number;
      halfLifeMs: number;
      warmupMs: number;
      /** Judged against from the first tick, weighing as much as `warmupMs` of learning; null = learn first. */
      prior: { mean: number; deviation: number } | null;
    };

/** A validated rule, durations in ms, defaults filled in. */
export interface AlertRule {
  name: string;
  description: string;
  runbookUrl: string | null;
  enabled: boolean;
  severity: Severity;
  metric: AlertMetric;
  /** Which event types throughput and no_data count; null = every payment and risk type. */
  eventTypes: string[] | null;
  /** Which polled queues a queue metric watches; null = all of them. */
  queues: string[] | null;
  /** null only for no_data, whose condition is "no events in the window". */
  condition: AlertCondition | null;
  windowMs: number;
  forMs: number;
  keepFiringForMs: number;
  groupBy: AlertGroupBy | null;
  minVolume: number;
  /** What an ungrouped rule does when there is nothing to compute from (Grafana's NoData setting). */
  noDataState: 'nodata' | 'normal' | 'alerting';
  labels: Record<string, string>;
  /** Hysteresis (recoverBelow / recoverAbove): the level a firing alert must cross to clear; absent: the threshold itself. */
  recover?: { below: number } | { above: number } | null;
}

/** Top-level sections of a rules file besides the rules (routing; see shared/notificationConfig.ts). */
export const ROUTING_SECTIONS = ['contactPoints', 'policies', 'defaultPolicy', 'muteTimings', 'inhibitRules', 'burnRates'] as const;

export interface RuleIssue {
  /** Position in the rules list, null for problems with the file as a whole. */
  index: number | null;
  /** Rule name when it could be read. */
  rule: string | null;
  /** Dotted field path inside the rule ("condition.baseline.halfLife"), or "" for the rule itself. */
  field: string;
  message: string;
  /** The whole issue as one line: `rule "x" (rules[2]) field window: must be ...`. */
  text: string;
}

export type RulesValidation = { ok: true; rules: AlertRule[] } | { ok: false; issues: RuleIssue[] };

export class RuleValidationError extends Error {
  constructor(readonly issues: RuleIssue[], source = 'alert rules') {
    super(`${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${issues.map((i) => `  - ${i.text}`).join('\n')}`);
    this.name = 'RuleValidationError';
  }
}

const DEFAULT_BASELINE = { direction: 'above', deviations: 3, minDelta: 0, halfLifeMs: 3600_000, warmupMs: 600_000 } as const;

function issue(index: number | null, rule: string | null, field: string, message: string): RuleIssue {
  const where = index === null ? 'rules file' : `rule ${rule ? `"${rule}" ` : ''}(rules[${index}])`;
  return { index, rule, field, message, text: field ? `${where} field ${field}: ${message}` : `${where}: ${message}` };
}

/** Accepts `{ rules: [...] }` (optionally with `version: 1`) or a bare array of rules. */
export function validateRules(input: unknown): RulesValidation {
  let list: unknown;
  if (Array.isArray(input)) list = input;
  else if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, 'rules')) {
    const file = input as Record<string, unknown>;
    const extra = Object.keys(file).filter((k) => k !== 'rules' && k !== 'version' && !(ROUTING_SECTIONS as readonly string[]).includes(k));
    if (extra.length) return { ok: false, issues: [issue(null, null, extra[0], 'unknown top-level key (expected rules and optional version)')] };
    if (file.version !== undefined && file.version !== 1) return { ok: false, issues: [issue(null, null, 'version', 'must be 1')] };
    list = file.rules;
  } else {
    return { ok: false, issues: [issue(null, null, '', 'must be a list of rules or an object with a "rules" list')] };
  }
  if (!Array.isArray(list)) return { ok: false, issues: [issue(null, null, 'rules', 'must be a list')] };

  const issues: RuleIssue[] = [];
  const rules: AlertRule[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw: unknown, index) => {
    const name = raw !== null && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : null;
    const result = validateRule(raw, index, name);
    if (!result.ok) return issues.push(...result.issues);
    const first = seen.get(result.rule.name);
    if (first !== undefined) issues.push(issue(index, name, 'name', `duplicates the name of rules[${first}]`));
    else seen.set(result.rule.name, index);
    rules.push(result.rule);
  });
  return issues.length ? { ok: false, issues } : { ok: true, rules };
}

/** Like validateRules, but throws a RuleValidationError listing every problem. */
export function parseRules(input: unknown, source?: string): AlertRule[] {
  const result = validateRules(input);
  if (!result.ok) throw new RuleValidationError(result.issues, source);
  return result.rules;
}

function validateRule(raw: unknown, index: number, name: string | null): { ok: true; rule: AlertRule } | { ok: false; issues: RuleIssue[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, issues: [issue(index, null, '', 'must be an object')] };
  }
  const parsed = alertRuleInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issues: RuleIssue[] = [];
    for (const i of parsed.error.issues) {
      const at = i.path.map(String);
      if (i.code === 'unrecognized_keys') {
        for (const key of i.keys) issues.push(issue(index, name, [...at, key].join('.'), 'unknown field'));
      } else {
        issues.push(issue(index, name, at.join('.'), isMissing(raw, i.path) ? 'is required' : i.message));
      }
    }
    return { ok: false, issues };
  }
  const r = parsed.data;
  const problems: RuleIssue[] = [];
  const bad = (field: string, message: string) => problems.push(issue(index, r.name, field, message));
  const info = METRIC_INFO[r.metric];
  const windowMs = parseDuration(r.window)!;
  if (windowMs < 1000) bad('window', 'must be at least 1s');
  if (windowMs > MAX_WINDOW_MS) bad('window', `must be at most ${formatDuration(MAX_WINDOW_MS)}`);
  if (windowMs % 1000 !== 0) bad('window', 'must be a whole number of seconds');

  const groupBy = r.groupBy ?? (info.source === 'queues' ? 'queue' : null);
  if (info.source === 'queues' && groupBy !== 'queue') bad('groupBy', `${r.metric} is measured per queue: use groupBy: queue`);
  if (info.source === 'events' && groupBy === 'queue') bad('groupBy', `${r.metric} is an event metric: group by merchant, country or a segment dimension, not queue`);
  if (r.eventTypes && r.metric !== 'throughput' && r.metric !== 'no_data') bad('eventTypes', 'only throughput and no_data take eventTypes');
  if (r.queues && info.source !== 'queues') bad('queues', 'only queue metrics (queue_depth, queue_depth_growth, queue_delay_seconds, queue_drain_seconds, queue_stalled_seconds, queue_oldest_message_age_seconds, consumer_count) take queues');

  let condition: AlertCondition | null = null;
  const c = r.condition;
  if (r.metric === 'no_data') {
    if (c) bad('condition', 'no_data has no condition: it fires when the window holds no events');
  } else if (!c) {
    bad('condition', 'is required: one of above, below or baseline');
  } else {
    const given = (['above', 'below', 'baseline'] as const).filter((k) => c[k] !== undefined);
    if (given.length !== 1) bad('condition', `must have exactly one of above, below or baseline (found ${given.length ? given.join(', ') : 'none'})`);
    else if (c.above !== undefined) condition = { kind: 'above', threshold: parseThreshold(c.above)! };
    else if (c.below !== undefined) condition = { kind: 'below', threshold: parseThreshold(c.below)! };
    else {
      const b = c.baseline!;
      const halfLifeMs = b.halfLife === undefined ? DEFAULT_BASELINE.halfLifeMs : parseDuration(b.halfLife)!;
      if (halfLifeMs < 1000) bad('condition.baseline.halfLife', 'must be at least 1s');
      condition = {
        kind: 'baseline',
        direction: b.direction ?? DEFAULT_BASELINE.direction,
        deviations: b.deviations ?? DEFAULT_BASELINE.deviations,
        minDelta: b.minDelta === undefined ? 0 : Math.abs(parseThreshold(b.minDelta)!),
        halfLifeMs,
        warmupMs: b.warmup === undefined ? DEFAULT_BASELINE.warmupMs : parseDuration(b.warmup)!,
        prior: b.prior ? { mean: parseThreshold(b.prior.mean)!, deviation: Math.abs(parseThreshold(b.prior.deviation)!) } : null,
      };
    }
  }
  const recover = hysteresisOf(r.recoverBelow, r.recoverAbove, condition, bad);
  checkThresholdUnits(r, bad);
  // An alert's own labels (see AlertInstance.matchLabels, the router): a rule's label of the
  // same name would be overridden when routing and silencing, yet shown in the history, and a
  // group label on a rule not grouped by it would let a silence of that group mute it.
  for (const name of Object.keys(r.labels ?? {})) {
    if (RESERVED_LABELS.has(name)) bad(`labels.${name}`, 'is set by payops (the rule name, severity, or the group the rule is grouped by): choose another label name');
  }
  if (problems.length) return { ok: false, issues: problems };
  return {
    ok: true,
    rule: {
      name: r.name,
      description: r.description,
      runbookUrl: r.runbookUrl ?? null,
      enabled: r.enabled ?? true,
      severity: r.severity,
      metric: r.metric,
      eventTypes: r.eventTypes ?? null,
      queues: r.queues ?? null,
      condition,
      windowMs,
      forMs: r.for === undefined ? 0 : parseDuration(r.for)!,
      keepFiringForMs: r.keepFiringFor === undefined ? 0 : parseDuration(r.keepFiringFor)!,
      groupBy,
      minVolume: r.minVolume ?? 0,
      noDataState: r.noDataState ?? 'nodata',
      labels: r.labels ?? {},
      ...(recover ? { recover } : {}),
    },
  };
}

/** How a non-rate metric's values read, for the message refusing a percentage threshold. */
const UNIT_TEXT: Record<Exclude<MetricUnit, 'ratio'>, string> = {
  per_second: 'events per second',
  count: 'events',
  score: 'score points (0-100)',
  ms: 'milliseconds',
  messages: 'messages',
  per_minute: 'messages per minute',
  consumers: 'consumers',
  seconds: 'seconds',
};

/**
 * A rate is a fraction, so its thresholds lie in 0 .. 1: `above: 10` on decline_rate (meant
 * as 10 %) could never fire and `above: -1` always would, both silently. A percentage of a
 * metric that is not a rate ("50%" of events per second) has no meaning.
 */
function checkThresholdUnits(r: z.output<typeof alertRuleInputSchema>, bad: (field: string, message: string) => void): void {
  const c = r.condition;
  const b = c?.baseline;
  const given: [string, string | number | undefined][] = [
    ['condition.above', c?.above],
    ['condition.below', c?.below],
    ['condition.baseline.minDelta', b?.minDelta],
    ['condition.baseline.prior.mean', b?.prior?.mean],
    ['condition.baseline.prior.deviation', b?.prior?.deviation],
    ['recoverBelow', r.recoverBelow],
    ['recoverAbove', r.recoverAbove],
  ];
  const unit = METRIC_INFO[r.metric].unit;
  for (const [field, written] of given) {
    if (written === undefined) continue;
    if (unit === 'ratio') {
      const v = parseThreshold(written)!;
      if (v < 0 || v > 1) bad(field, `${r.metric} is a fraction between 0 and 1: write 10% or 0.1 (got ${JSON.stringify(written)})`);
    } else if (typeof written === 'string') {
      bad(field, `a percentage only fits a rate metric; ${r.metric} is in ${UNIT_TEXT[unit]}: write a number`);
    }
  }
}

function hysteresisOf(below: unknown, above: unknown, condition: AlertCondition | null, bad: (field: string, message: string) => void): AlertRule['recover'] {
  if (below === undefined && above === undefined) return null;
  if (below !== undefined && above !== undefined) {
    bad('recoverBelow', 'give recoverBelow (for an above condition) or recoverAbove (for a below condition), not both');
    return null;
  }
  const field = below !== undefined ? 'recoverBelow' : 'recoverAbove';
  const level = parseThreshold(below ?? above)!;
  const wanted = below !== undefined ? 'above' : 'below';
  if (!condition || condition.kind !== wanted) {
    bad(field, `${field} goes with a "${wanted}" condition`);
    return null;
  }
  if (below !== undefined ? level >= condition.threshold : level <= condition.threshold) {
    bad(field, `must be ${below !== undefined ? 'below' : 'above'} the firing threshold, or the alert could never clear`);
    return null;
  }
  return below !== undefined ? { below: level } : { above: level };
}

/** True when the issue is about a field that is simply absent (zod would say "must be a string"). */
function isMissing(raw: object, path: PropertyKey[]): boolean {
  let node: unknown = raw;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return true;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node === undefined;
}
