// Judges one rule for one group at one tick: is the condition met, false, without data, or
// in error? Also writes the summary an operator reads ("decline rate 23 %, baseline 4 % +/- 1.5 %").
import { METRIC_INFO, formatDuration, type AlertRule } from '../../../shared/alertRules';
import type { EwmaBaseline } from './baseline';
import type { MetricReading } from './metricValues';
import { formatMetricSpread, formatMetricValue } from './valueFormat';

export type Outcome = 'met' | 'clear' | 'nodata' | 'error';

export interface Judgement {
  outcome: Outcome;
  value: number | null;
  summary: string;
}

export interface JudgeContext {
  /** "merchant m_1042", or null for a whole-stream rule. */
  groupText: string | null;
  /** For no_data: has this group ever seen the rule's event types? */
  trafficSeen: boolean;
  baseline: EwmaBaseline | null;
  stepMs: number;
}

export function judge(rule: AlertRule, reading: MetricReading, ctx: JudgeContext): Judgement {
  const label = METRIC_INFO[rule.metric].label;
  const who = ctx.groupText ? ` for ${ctx.groupText}` : '';
  const over = formatDuration(rule.windowMs);
  if (reading.error) return { outcome: 'error', value: null, summary: `${label}${who}: ${reading.error}` };

  if (rule.metric === 'no_data') {
    const types = rule.eventTypes ? rule.eventTypes.join(', ') : 'payment or risk';
    const met = reading.value === 0 && ctx.trafficSeen;
    return {
      outcome: met ? 'met' : 'clear',
      value: reading.value,
      summary: met ? `no ${types} events${who} in the last ${over}` : `${reading.value ?? 0} ${types} events${who} in the last ${over}`,
    };
  }

  const value = reading.value;
  if (value === null) return { outcome: 'nodata', value: null, summary: `${label}${who}: no data in the last ${over}` };
  const shown = `${label} ${formatMetricValue(rule.metric, value)}${who}`;
  const enough = reading.volume >= rule.minVolume;
  const volumeNote = enough ? '' : ` (volume ${reading.volume} below minimum ${rule.minVolume})`;
  const c = rule.condition!;

  if (c.kind === 'above' || c.kind === 'below') {
    const met = enough && (c.kind === 'above' ? value > c.threshold : value < c.threshold);
    return {
      outcome: met ? 'met' : 'clear',
      value,
      summary: `${shown}, threshold ${c.kind} ${formatMetricValue(rule.metric, c.threshold)} over ${over}${volumeNote}`,
    };
  }

  // Baseline: judge against what was learned so far, then learn this value.
  const b = ctx.baseline!;
  const ready = b.learnedMs >= c.warmupMs;
  const band = Math.max(c.deviations * b.deviation, c.minDelta);
  const high = value > b.mean + band;
  const low = value < b.mean - band;
  const breach = c.direction === 'above' ? high : c.direction === 'below' ? low : high || low;
  const met = enough && ready && breach;
  const explained = ready
    ? `${shown}, baseline ${formatMetricValue(rule.metric, b.mean)} +/- ${formatMetricSpread(rule.metric, b.deviation)}`
    : `${shown}, baseline still learning (${formatDuration(b.learnedMs)} of ${formatDuration(c.warmupMs)})`;
  if (enough) {
    if (breach && ready) b.nudge(value, ctx.stepMs);
    else b.update(value, ctx.stepMs);
  }
  return { outcome: met ? 'met' : 'clear', value, summary: `${explained}${volumeNote}` };
}

/** Whether `a` is further than `b` in the direction the rule alerts on (for peakValue). */
export function isMoreExtreme(rule: AlertRule, a: number, b: number, mean: number | null): boolean {
  const c = rule.condition;
  if (!c || c.kind === 'above') return a > b;
  if (c.kind === 'below') return a < b;
  if (c.direction === 'above') return a > b;
  if (c.direction === 'below') return a < b;
  const m = mean ?? 0;
  return Math.abs(a - m) > Math.abs(b - m);
}
