// Each metric of the rule model, read from a window: the value a condition judges, and the
// volume (how much the value rests on) that minVolume compares with.
import type { AlertMetric, AlertRule } from '../../../shared/alertRules';
import type { WindowAggregate } from './eventCounters';
import { RATE_SLOTS, typeIndex } from '../metrics/secondBuckets';
import { lagBinning, scoreBinning } from './sparseHistogram';
import type { QueueSample } from './queueSamples';

export interface MetricReading {
  /** null: nothing to compute from (no attempts, no scores, no queue sample). */
  value: number | null;
  volume: number;
  /** Set when the input itself reported a failure (a queue poll error). */
  error: string | null;
}

/** Type indices a throughput/no_data rule counts; null means every known payment and risk type. */
export function typeIndicesOf(rule: AlertRule): number[] | null {
  return rule.eventTypes ? rule.eventTypes.map(typeIndex) : null;
}

// Read for every group at every tick.
const { authorized: AUTHORIZED, declined: DECLINED, failed: FAILED, scored: SCORED, flagged: FLAGGED, blocked: BLOCKED } = RATE_SLOTS;

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * @param windowSeconds the seconds the window really covers (shorter than the rule's window
 *   right after the first event, so a rate is not diluted by time before traffic began)
 */
export function readEventMetric(rule: AlertRule, agg: WindowAggregate, windowSeconds: number, types: number[] | null): MetricReading {
  const c = agg.counts;
  const authorized = c[AUTHORIZED];
  const declined = c[DECLINED];
  const failed = c[FAILED];
  // Outcomes, not initiations, are the denominator: every attempt ends in one of these three.
  const attempts = authorized + declined + failed;
  const scored = c[SCORED];
  const flagged = c[FLAGGED];
  const blocked = c[BLOCKED];
  const riskEvents = scored + flagged + blocked;
  const reading = (value: number | null, volume: number): MetricReading => ({ value, volume, error: null });
  switch (rule.metric as AlertMetric) {
    case 'throughput': {
      const n = agg.total(types);
      return reading(n / Math.max(1, windowSeconds), n);
    }
    case 'no_data': {
      const n = agg.total(types);
      return reading(n, n);
    }
    case 'approval_rate':
      return reading(ratio(authorized, attempts), attempts);
    case 'decline_rate':
      return reading(ratio(declined, attempts), attempts);
    case 'failure_rate':
      return reading(ratio(failed, attempts), attempts);
    case 'risk_flagged_count':
      return reading(flagged, riskEvents);
    case 'risk_blocked_count':
      return reading(blocked, riskEvents);
    // Shares of the decisions: every payment is scored once, and a flag or block comes on
    // top of its risk.scored, so "of all risk events" could never pass 50 %.
    case 'risk_flagged_rate':
      return reading(ratio(flagged, scored), scored);
    case 'risk_blocked_rate':
      return reading(ratio(blocked, scored), scored);
    case 'risk_score_p95': {
      const h = agg.scores();
      const bin = h.quantileBin(0.95);
      return reading(bin === null ? null : scoreBinning.fromBin(bin), h.count);
    }
    case 'arrival_lag_p95': {
      const h = agg.lags();
      const bin = h.quantileBin(0.95);
      return reading(bin === null ? null : lagBinning.fromBin(bin), h.count);
    }
    default:
      return { value: null, volume: 0, error: `${rule.metric} is not an event metric` };
  }
}

/** Queue metrics read the latest sample in the window; growth compares first and last. */
export function readQueueMetric(rule: AlertRule, samples: readonly QueueSample[], windowMs: number): MetricReading {
  const last = samples[samples.length - 1];
  if (!last) return { value: null, volume: 0, error: null };
  if (last.error) return { value: null, volume: 0, error: last.error };
  const depth = last.messages;
  switch (rule.metric as AlertMetric) {
    case 'queue_depth':
      return depth === null ? { value: null, volume: 0, error: 'queue depth unknown' } : { value: depth, volume: depth, error: null };
    case 'consumer_count':
      return last.consumers === null
        ? { value: null, volume: 0, error: 'consumer count unknown' }
        : { value: last.consumers, volume: depth ?? 0, error: null };
    case 'queue_depth_growth': {
      const good = samples.filter((s) => !s.error && s.messages !== null);
      const first = good[0];
      const end = good[good.length - 1];
      // Less than half a window of samples says too little about a trend.
      if (!first || !end || end.at - first.at < windowMs / 2) return { value: null, volume: depth ?? 0, error: null };
      const perMinute = ((end.messages! - first.messages!) / (end.at - first.at)) * 60_000;
      return { value: perMinute, volume: end.messages!, error: null };
    }
    case 'queue_delay_seconds':
      return { value: last.delaySeconds, volume: depth ?? 0, error: null };
    case 'queue_drain_seconds':
      return { value: last.drainSeconds, volume: depth ?? 0, error: null };
    case 'queue_stalled_seconds':
      return { value: last.stalledSeconds, volume: depth ?? 0, error: null };
    default:
      return { value: null, volume: 0, error: `${rule.metric} is not a queue metric` };
  }
}
