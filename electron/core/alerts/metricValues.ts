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
 * @param out where the reading is written: the evaluator reads every group at every tick and
 *   reuses one reading (a replay of PaySim's month makes ~250,000 ticks)
 */
export function readEventMetric(
  rule: AlertRule,
  agg: WindowAggregate,
  windowSeconds: number,
  types: number[] | null,
  out: MetricReading = { value: null, volume: 0, error: null },
): MetricReading {
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
  let value: number | null;
  let volume: number;
  out.error = null;
  switch (rule.metric as AlertMetric) {
    case 'throughput':
      volume = agg.total(types);
      value = volume / Math.max(1, windowSeconds);
      break;
    case 'no_data':
      value = volume = agg.total(types);
      break;
    case 'approval_rate':
      value = ratio(authorized, attempts);
      volume = attempts;
      break;
    case 'decline_rate':
      value = ratio(declined, attempts);
      volume = attempts;
      break;
    case 'failure_rate':
      value = ratio(failed, attempts);
      volume = attempts;
      break;
    case 'risk_flagged_count':
      value = flagged;
      volume = riskEvents;
      break;
    case 'risk_blocked_count':
      value = blocked;
      volume = riskEvents;
      break;
    // Shares of the decisions: every payment is scored once, and a flag or block comes on
    // top of its risk.scored, so "of all risk events" could never pass 50 %.
    case 'risk_flagged_rate':
      value = ratio(flagged, scored);
      volume = scored;
      break;
    case 'risk_blocked_rate':
      value = ratio(blocked, scored);
      volume = scored;
      break;
    case 'risk_score_p95': {
      const h = agg.scores();
      const bin = h.quantileBin(0.95);
      value = bin === null ? null : scoreBinning.fromBin(bin);
      volume = h.count;
      break;
    }
    case 'arrival_lag_p95': {
      const h = agg.lags();
      const bin = h.quantileBin(0.95);
      value = bin === null ? null : lagBinning.fromBin(bin);
      volume = h.count;
      break;
    }
    default:
      value = null;
      volume = 0;
      out.error = `${rule.metric} is not an event metric`;
  }
  out.value = value;
  out.volume = volume;
  return out;
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
    case 'queue_oldest_message_age_seconds':
      return { value: last.oldestMessageAgeSeconds, volume: depth ?? 0, error: null };
    default:
      return { value: null, volume: 0, error: `${rule.metric} is not a queue metric` };
  }
}
