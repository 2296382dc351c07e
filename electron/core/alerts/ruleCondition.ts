// Judges one rule for one group at one tick: is the condition met, false, without data, or
// in error? Also writes the summary an operator reads ("decline rate 23 %, baseline 4 % +/- 1.5 %").
import { countNoun } from '../../../shared/countText';
import { METRIC_INFO, formatDuration, type AlertRule } from '../../../shared/alertRules';
import type { EwmaBaseline } from './baseline';
import type { MetricReading } from './metricValues';
import { formatMetricSpread, formatMetricValue, rateBasisOf } from './valueFormat';

export type Outcome = 'met' | 'clear' | 'nodata' | 'error';

/**
 * Hysteresis of a baseline condition (what recoverBelow / recoverAbove give a threshold rule): a
 * firing alert clears only once its value is back within this share of the band around the mean
 * it fired against (BaselineLevel), not the mean as it drifts. On a lasting level shift the mean,
 * protected while the alert fires, creeps toward the new level; clearing at the drifting band's
 * edge left the noisy value straddling it, and the alert resolved and fired again every few
 * minutes for hours. Now a lasting shift stays one firing alert until the level comes back, and a
 * spike that ends falls back inside the band at once.
 */
export const BASELINE_RECOVERY_SHARE = 0.5;

/** The mean and band (half-width) a baseline alert fired against: its recovery is judged on them. */
export interface BaselineLevel {
  mean: number;
  band: number;
}

/**
 * One rule judged for one group at one tick. The evaluator reuses one Judgement for every
 * judgement (this runs for every group at every tick, and PaySim's replay made ~250,000 ticks):
 * it holds the figures the summary an operator reads is written from, and only a judgement
 * that changes an alert keeps them (`keepSummary`). Most change nothing (a quiet group stays
 * normal), and formatting, or even capturing, every one was a large part of a replay.
 */
export class Judgement {
  outcome: Outcome = 'clear';
  value: number | null = null;
  /** The value rests on less than minVolume: not judged (a firing alert keeps its evidence). */
  lowVolume = false;
  /**
   * Whether a firing alert may clear on this judgement: a baseline condition's value is back
   * within half the band (see BASELINE_RECOVERY_SHARE); always true for the other conditions.
   */
  recovered = true;
  /** A baseline condition's mean and band this judgement compared against (band 0: not a baseline judgement). */
  readonly level: BaselineLevel = { mean: 0, band: 0 };
  /** The figures its summary is written from (judge fills them). */
  readonly facts: SummaryFacts = emptyFacts();

  /** The summary of this judgement as a writer that outlives the next judgement. */
  keepSummary(): () => string {
    const facts = { ...this.facts };
    return () => writeSummary(facts);
  }

  /** Sets the outcome and the common figures, and clears the others; returns the figures. */
  start(outcome: Outcome, value: number | null, lowVolume: boolean, kind: SummaryFacts['kind'], rule: AlertRule, groupText: string | null): SummaryFacts {
    this.outcome = outcome;
    this.value = value;
    this.lowVolume = lowVolume;
    this.recovered = true;
    this.level.band = 0;
    const f = this.facts;
    f.kind = kind;
    f.rule = rule;
    f.groupText = groupText;
    f.value = value ?? 0;
    f.volume = 0;
    f.error = null;
    f.ready = false;
    f.mean = 0;
    f.deviation = 0;
    f.learnedMs = 0;
    f.hasBaseline = false;
    f.sparseGap = false;
    return f;
  }
}

/** What a summary is written from: a plain record, copied when a judgement's summary is kept. */
export interface SummaryFacts {
  kind: 'error' | 'nodata' | 'threshold' | 'baseline' | 'silence';
  rule: AlertRule;
  /** "merchant m_1042", or null for a whole-stream rule. */
  groupText: string | null;
  value: number;
  volume: number;
  error: string | null;
  ready: boolean;
  mean: number;
  deviation: number;
  learnedMs: number;
  hasBaseline: boolean;
  sparseGap: boolean;
}

function emptyFacts(): SummaryFacts {
  return { kind: 'nodata', rule: null as unknown as AlertRule, groupText: null, value: 0, volume: 0, error: null, ready: false, mean: 0, deviation: 0, learnedMs: 0, hasBaseline: false, sparseGap: false };
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
  /** The level a firing alert of this group fired against (its recovery is judged on it); none: the current one. */
  firedAgainst?: BaselineLevel | null;
}

/** Judges `reading` into `out` (which it returns); `ctx` is read during the call only. */
export function judge(rule: AlertRule, reading: MetricReading, ctx: JudgeContext, out: Judgement = new Judgement()): Judgement {
  const groupText = ctx.groupText;
  const error = reading.error;
  if (error) {
    out.start('error', null, false, 'error', rule, groupText).error = error;
    return out;
  }

  if (rule.metric === 'no_data') return judgeSilence(rule, reading, ctx, out);

  const value = reading.value;
  if (value === null) {
    out.start('nodata', null, false, 'nodata', rule, groupText);
    return out;
  }
  const volume = reading.volume;
  const enough = volume >= rule.minVolume;
  const c = rule.condition!;

  if (c.kind === 'above' || c.kind === 'below') {
    const met = enough && (c.kind === 'above' ? value > c.threshold : value < c.threshold);
    out.start(met ? 'met' : 'clear', value, !enough, 'threshold', rule, groupText).volume = volume;
    return out;
  }

  // Baseline: judge against what was learned so far, then learn this value.
  const b = ctx.baseline!;
  const mean = b.mean;
  const deviation = b.deviation;
  const learnedMs = b.learnedMs;
  const ready = learnedMs >= c.warmupMs;
  // The level's band (what recovery is judged on) and the evidence a breach needs: a window too
  // small to tell its share from the mean's needs more, but the level it fired against is the same.
  const levelBand = Math.max(c.deviations * deviation, c.minDelta);
  const band = Math.max(levelBand, samplingBand(rule, mean, volume));
  const high = value > mean + band;
  const low = value < mean - band;
  const breach = c.direction === 'above' ? high : c.direction === 'below' ? low : high || low;
  const met = enough && ready && breach;
  if (enough) {
    // Without a prior, the warm-up learns everything (there is nothing to breach yet).
    if ((breach && (ready || c.prior !== null)) || ctx.protectBaseline) b.nudge(value, ctx.stepMs);
    else b.update(value, ctx.stepMs);
  }
  const f = out.start(met ? 'met' : 'clear', value, !enough, 'baseline', rule, groupText);
  out.level.mean = mean;
  out.level.band = levelBand;
  const from = ctx.firedAgainst ?? out.level;
  const back = from.band * BASELINE_RECOVERY_SHARE;
  out.recovered = c.direction === 'above' ? value <= from.mean + back : c.direction === 'below' ? value >= from.mean - back : Math.abs(value - from.mean) <= back;
  f.volume = volume;
  f.ready = ready;
  f.mean = mean;
  f.deviation = deviation;
  f.learnedMs = learnedMs;
  return out;
}

/**
 * Standard errors of a window's share that its volume alone explains. A share over a window is
 * a sample of `volume` trials: at 5 attempts a second a minute holds 300, and a decline rate of
 * 6.5 % moves by +/- 1.4 points from one window to the next with nothing wrong (more where
 * retries repeat a decline). Judged every tick for hours, a 3-deviation band (or a 5-point
 * minDelta) is crossed by noise alone about once in three hours. As Datadog's and Grafana's
 * minimum sample counts do, the judgement asks for more evidence where there is less data:
 * the band is at least this many standard errors of the window's share, which at 20 attempts a
 * second and more is inside the minDelta and changes nothing.
 */
export const SAMPLING_STANDARD_ERRORS = 5;

/** The band a ratio's window of `volume` needs to differ from `mean` by more than its sampling noise. */
function samplingBand(rule: AlertRule, mean: number, volume: number): number {
  if (METRIC_INFO[rule.metric].unit !== 'ratio' || volume <= 0) return 0;
  const p = Math.min(1, Math.max(0, mean));
  return SAMPLING_STANDARD_ERRORS * Math.sqrt((p * (1 - p)) / volume);
}

function writeSummary(f: SummaryFacts): string {
  const { rule, groupText } = f;
  switch (f.kind) {
    case 'error':
      return `${METRIC_INFO[rule.metric].label}${whoOf(groupText)}: ${f.error}`;
    case 'nodata':
      return `${METRIC_INFO[rule.metric].label}${whoOf(groupText)}: no data in the last ${formatDuration(rule.windowMs)}`;
    case 'threshold': {
      const c = rule.condition as Extract<NonNullable<AlertRule['condition']>, { kind: 'above' | 'below' }>;
      return `${shown(rule, f.value, groupText)}, threshold ${c.kind} ${formatMetricValue(rule.metric, c.threshold)} over ${formatDuration(rule.windowMs)}${volumeNote(rule, f.volume)}`;
    }
    case 'baseline': {
      const c = rule.condition as Extract<NonNullable<AlertRule['condition']>, { kind: 'baseline' }>;
      return (
        (f.ready
          ? `${shown(rule, f.value, groupText)}, baseline ${formatMetricValue(rule.metric, f.mean)} +/- ${formatMetricSpread(rule.metric, f.deviation)}`
          : `${shown(rule, f.value, groupText)}, baseline still learning (${formatDuration(f.learnedMs)} of ${formatDuration(c.warmupMs)})`) + volumeNote(rule, f.volume)
      );
    }
    case 'silence': {
      const count = f.value;
      const types = rule.eventTypes ? rule.eventTypes.join(', ') : 'payment or risk';
      const usually = f.hasBaseline ? ` (usually ${Math.round(f.mean).toLocaleString('en-US')})` : '';
      const sparse = f.sparseGap ? `; the stream is too sparse for a gap to mean it stopped (minimum ${rule.minVolume})` : '';
      const who = whoOf(groupText);
      const over = formatDuration(rule.windowMs);
      return count === 0 ? `no ${types} events${who} in the last ${over}${usually}${sparse}` : `${count} ${types} ${countNoun(count, 'event')}${who} in the last ${over}${usually}`;
    }
  }
}

/** " for merchant m_1042", or nothing for a whole-stream rule. */
const whoOf = (groupText: string | null): string => (groupText ? ` for ${groupText}` : '');

/** "decline rate 23 % per attempt for merchant m_1042": a rate says its basis, as the console does. */
const shown = (rule: AlertRule, value: number, groupText: string | null): string => {
  const basis = rateBasisOf(rule.metric);
  return `${METRIC_INFO[rule.metric].label} ${formatMetricValue(rule.metric, value)}${basis ? ` ${basis}` : ''}${whoOf(groupText)}`;
};

const volumeNote = (rule: AlertRule, volume: number): string => (volume >= rule.minVolume ? '' : ` (volume ${volume} below minimum ${rule.minVolume})`);

/** How long a silence the no_data baseline learns over (how fast "the usual count" follows the traffic). */
export const SILENCE_HALF_LIFE_MS = 10 * 60_000;

/**
 * no_data: the window holds no events, traffic had been seen, and the stream usually has at
 * least minVolume events in such a window (learned from windows that had some). A sparse
 * stream (a capture of a few events an hour, replayed) has gaps that are normal for it: no
 * alert; a dense stream that goes quiet is one alert until traffic is back.
 */
function judgeSilence(rule: AlertRule, reading: MetricReading, ctx: JudgeContext, out: Judgement): Judgement {
  const count = reading.value ?? 0;
  const usual = ctx.baseline ? ctx.baseline.mean : count;
  const hasBaseline = ctx.baseline !== null;
  const dense = usual >= Math.max(1, rule.minVolume);
  const met = count === 0 && ctx.trafficSeen && dense;
  const sparseGap = count === 0 && ctx.trafficSeen && !dense;
  if (count > 0) ctx.baseline?.update(count, ctx.stepMs);
  // `mean` carries "usually": the baseline's mean as it was before this count was learned.
  const f = out.start(met ? 'met' : 'clear', count, false, 'silence', rule, ctx.groupText);
  f.mean = usual;
  f.hasBaseline = hasBaseline;
  f.sparseGap = sparseGap;
  return out;
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
