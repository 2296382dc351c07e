// Values as an operator reads them in a summary: "23 %", "12.5/s", "850 ms".
import { ALERT_METRICS, METRIC_INFO, type AlertMetric } from './alertRules';
import { formatFixed, formatInteger, formatNumber } from './format';

// At most `digits` decimals, trailing zeros dropped (shared/format).
const round = (v: number, digits: number): string => formatNumber(v, digits);

function significant(v: number): string {
  const abs = Math.abs(v);
  return round(v, abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

export function formatMetricValue(metric: AlertMetric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  switch (METRIC_INFO[metric].unit) {
    case 'ratio':
      return `${round(value * 100, Math.abs(value) >= 0.1 ? 0 : 1)} %`;
    case 'per_second':
      return `${significant(value)}/s`;
    case 'per_minute':
      return `${value >= 0 ? '+' : ''}${significant(value)} msgs/min`;
    case 'ms':
      return value >= 10_000 ? `${round(value / 1000, 1)} s` : `${Math.round(value)} ms`;
    case 'seconds':
      return formatSeconds(value);
    case 'score':
      return round(value, 1);
    case 'messages':
      return `${Math.round(value)} msgs`;
    case 'consumers':
      return `${Math.round(value)}`;
    case 'count':
      return `${Math.round(value)}`;
  }
}

/**
 * The `metric` a burn-rate (SLO) alert names: its value is how many times faster than the
 * objective allows the error budget burns. Not a rule metric (no rule can be written on it).
 */
export const BURN_RATE_METRIC = 'burn_rate';

/**
 * A value in the unit of a metric named as text (an alert's `metric`, as the wire carries it):
 * a burn factor as SLO tools say it ("14.4x burn"); null when the metric is absent or unknown
 * (a rule since removed, an older engine).
 */
export function formatNamedMetricValue(metric: string | undefined, value: number): string | null {
  if (metric === BURN_RATE_METRIC) return Number.isFinite(value) ? `${significant(value)}x burn` : 'n/a';
  return metric && (ALERT_METRICS as readonly string[]).includes(metric) ? formatMetricValue(metric as AlertMetric, value) : null;
}

/** The rates the alert rules judge per attempt (authorized + declined + failed events; a retry is another attempt). */
const PER_ATTEMPT_METRICS: ReadonlySet<string> = new Set(['approval_rate', 'decline_rate', 'failure_rate']);

/** "per attempt" for a rate the alert rules judge per attempt, null for any other metric. */
export function rateBasisOf(metric: string | undefined): 'per attempt' | null {
  return metric && PER_ATTEMPT_METRICS.has(metric) ? 'per attempt' : null;
}

/**
 * An alert's value in its metric's unit, a rate with its basis ("26 % per attempt"), as the
 * console's alert list, the browser notification and the desktop one say it; whole numbers
 * grouped, else 3 decimals below 1 and 2 above, when the metric is unknown. `value` is finite:
 * each caller says "no value" in its own words.
 */
export function formatAlertValueText(value: number, metric?: string): string {
  const inUnit = formatNamedMetricValue(metric, value);
  if (inUnit !== null) return rateBasisOf(metric) ? `${inUnit} ${rateBasisOf(metric)}` : inUnit;
  if (Number.isInteger(value)) return formatInteger(value);
  return formatFixed(value, Math.abs(value) < 1 ? 3 : 2);
}

/** A deviation or delta in the metric's unit (no sign prefix). */
export function formatMetricSpread(metric: AlertMetric, value: number): string {
  if (METRIC_INFO[metric].unit === 'ratio') return `${round(value * 100, value >= 0.1 ? 0 : 1)} %`;
  if (METRIC_INFO[metric].unit === 'per_minute') return `${significant(value)} msgs/min`;
  return formatMetricValue(metric, value);
}

/** Seconds at their true size: "45 s", "12.5 min", "3.2 h", "2.1 d". */
function formatSeconds(s: number): string {
  const abs = Math.abs(s);
  if (abs < 120) return `${significant(s)} s`;
  if (abs < 7200) return `${round(s / 60, 1)} min`;
  if (abs < 172_800) return `${round(s / 3600, 1)} h`;
  return `${round(s / 86_400, 1)} d`;
}
