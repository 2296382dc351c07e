// What the rate chart draws from the alert rules that watch a rate: fixed thresholds as
// lines, and for baseline rules the learned band (an exponentially weighted mean and
// deviation over the drawn series, with the rule's half-life, deviations and minimum delta:
// the same model the evaluator learns, recomputed from the rollups shown).
import type { AlertMetric, AlertRule } from '../../../shared/alertRules';
import type { SeriesPoint } from '../../../shared/dashboardApi';

export interface ThresholdLine {
  rule: string;
  metric: AlertMetric;
  kind: 'above' | 'below';
  value: number;
  severity: string;
}

export interface BaselineRule {
  rule: string;
  metric: AlertMetric;
  deviations: number;
  minDelta: number;
  halfLifeMs: number;
  direction: 'above' | 'below' | 'both';
}

export function ruleLines(rules: readonly AlertRule[], metrics: readonly AlertMetric[]): { thresholds: ThresholdLine[]; baselines: BaselineRule[] } {
  const thresholds: ThresholdLine[] = [];
  const baselines: BaselineRule[] = [];
  for (const r of rules) {
    if (r.enabled === false || !metrics.includes(r.metric) || !r.condition || r.groupBy) continue;
    const c = r.condition;
    if (c.kind === 'baseline') baselines.push({ rule: r.name, metric: r.metric, deviations: c.deviations, minDelta: c.minDelta, halfLifeMs: c.halfLifeMs, direction: c.direction });
    else thresholds.push({ rule: r.name, metric: r.metric, kind: c.kind, value: c.threshold, severity: r.severity });
  }
  return { thresholds, baselines };
}

/** The band [low, high] the baseline rule allows at each point, learned from the points before it. */
export function baselineBand(points: readonly SeriesPoint[], b: BaselineRule): { t: number; low: number; high: number }[] {
  const out: { t: number; low: number; high: number }[] = [];
  let mean: number | null = null;
  let variance = 0;
  let lastT = 0;
  for (const [t, v] of points) {
    if (mean !== null) {
      const spread = Math.max(b.deviations * Math.sqrt(variance), b.minDelta);
      out.push({ t, low: b.direction === 'above' ? mean : Math.max(0, mean - spread), high: b.direction === 'below' ? mean : mean + spread });
      const alpha = 1 - 2 ** (-(t - lastT) / b.halfLifeMs);
      const diff = v - mean;
      mean += alpha * diff;
      variance = (1 - alpha) * (variance + alpha * diff * diff);
    } else mean = v;
    lastT = t;
  }
  return out;
}
