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
  /**
   * The summary an operator reads, written only when asked: most judgements of a tick change
   * nothing (a quiet group stays normal), and formatting every one was a large part of a replay.
   */
  summary: () => string;
  /** The value rests on less than minVolume: not judged (a firing alert keeps its evidence). */
  lowVolume: boolean;
}

export interface JudgeContext {
  /** "merchant m_1042", or null for a whole-stream rule. */
  groupText: string | null;
  /** For no_data: has this group ever seen the rule's event types? */
  trafficSeen: boolean;
  baseline: EwmaBaseline | null;
  stepMs: number;
  /**
   * An alert of this group is active, or its incident is still in the window: the baseline
   * must not learn the incident as normal, so every value is only nudged.
   */
  protectBaseline: boolean;
}

export function judge(rule: AlertRule, reading: MetricReading, ctx: JudgeContext): Judgement {
  // Only the summary closure is made per judgement (this runs for every group at every tick);
  // what it writes is computed when, and if, it is read.
  const groupText = ctx.groupText;
  const error = reading.error;
  if (error) return { outcome: 'error', value: null, summary: () => `${METRIC_INFO[rule.metric].label}${whoOf(groupText)}: ${error}`, lowVolume: false };

  if (rule.metric === 'no_data') return judgeSilence(rule, reading, ctx);

  const value = reading.value;
  if (value === null) {
    return { outcome: 'nodata', value: null, summary: () => `${METRIC_INFO[rule.metric].label}${whoOf(groupText)}: no data in the last ${formatDuration(rule.windowMs)}`, lowVolume: false };
  }
  const volume = reading.volume;
  const enough = volume >= rule.minVolume;
  const c = rule.condition!;

  if (c.kind === 'above' || c.kind === 'below') {
    const met = enough && (c.kind === 'above' ? value > c.threshold : value < c.threshold);
    return {
      outcome: met ? 'met' : 'clear',
      value,
      summary: () =>
        `${shown(rule, value, groupText)}, threshold ${c.kind} ${formatMetricValue(rule.metric, c.threshold)} over ${formatDuration(rule.windowMs)}${volumeNote(rule, volume)}`,
      lowVolume: !enough,
    };
  }

  // Baseline: judge against what was learned so far, then learn this value.
  const b = ctx.baseline!;
  const mean = b.mean;
  const deviation = b.deviation;
  const learnedMs = b.learnedMs;
  const ready = learnedMs >= c.warmupMs;
  const band = Math.max(c.deviations * deviation, c.minDelta);
  const high = value > mean + band;
  const low = value < mean - band;
  const breach = c.direction === 'above' ? high : c.direction === 'below' ? low : high || low;
  const met = enough && ready && breach;
  if (enough) {
    // Without a prior, the warm-up learns everything (there is nothing to breach yet).
    if ((breach && (ready || c.prior !== null)) || ctx.protectBaseline) b.nudge(value, ctx.stepMs);
    else b.update(value, ctx.stepMs);
  }
  const summary = () =>
    (ready
      ? `${shown(rule, value, groupText)}, baseline ${formatMetricValue(rule.metric, mean)} +/- ${formatMetricSpread(rule.metric, deviation)}`
      : `${shown(rule, value, groupText)}, baseline still learning (${formatDuration(learnedMs)} of ${formatDuration(c.warmupMs)})`) + volumeNote(rule, volume);
  return { outcome: met ? 'met' : 'clear', value, summary, lowVolume: !enough };
}

/** " for merchant m_1042", or nothing for a whole-stream rule. */
const whoOf = (groupText: string | null): string => (groupText ? ` for ${groupText}` : '');

/** "decline rate 23 % for merchant m_1042" */
const shown = (rule: AlertRule, value: number, groupText: string | null): string =>
  `${METRIC_INFO[rule.metric].label} ${formatMetricValue(rule.metric, value)}${whoOf(groupText)}`;

const volumeNote = (rule: AlertRule, volume: number): string => (volume >= rule.minVolume ? '' : ` (volume ${volume} below minimum ${rule.minVolume})`);

/** How long a silence the no_data baseline learns over (how fast "the usual count" follows the traffic). */
export const SILENCE_HALF_LIFE_MS = 10 * 60_000;

/**
 * no_data: the window holds no events, traffic had been seen, and the stream usually has at
 * least minVolume events in such a window (learned from windows that had some). A sparse
 * stream (a capture of a few events an hour, replayed) has gaps that are normal for it: no
 * alert; a dense stream that goes quiet is one alert until traffic is back.
 */
function judgeSilence(rule: AlertRule, reading: MetricReading, ctx: JudgeContext): Judgement {
  const groupText = ctx.groupText;
  const count = reading.value ?? 0;
  const usual = ctx.baseline ? ctx.baseline.mean : count;
  const hasBaseline = ctx.baseline !== null;
  const dense = usual >= Math.max(1, rule.minVolume);
  const met = count === 0 && ctx.trafficSeen && dense;
  const sparseGap = count === 0 && ctx.trafficSeen && !dense;
  if (count > 0) ctx.baseline?.update(count, ctx.stepMs);
  const summary = () => {
    const types = rule.eventTypes ? rule.eventTypes.join(', ') : 'payment or risk';
    const usually = hasBaseline ? ` (usually ${Math.round(usual).toLocaleString('en-US')})` : '';
    const sparse = sparseGap ? `; the stream is too sparse for a gap to mean it stopped (minimum ${rule.minVolume})` : '';
    const who = whoOf(groupText);
    const over = formatDuration(rule.windowMs);
    return count === 0 ? `no ${types} events${who} in the last ${over}${usually}${sparse}` : `${count} ${types} events${who} in the last ${over}${usually}`;
  };
  return { outcome: met ? 'met' : 'clear', value: count, summary, lowVolume: false };
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
