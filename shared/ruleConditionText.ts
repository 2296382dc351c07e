// A rule's condition in words, in its metric's unit and basis, as an on-call reads it in a
// notification's `description` (Alertmanager's and Grafana's annotation): "decline rate per
// attempt above 20 % over 5m, for 2m, per merchant, judged from 50 attempts".
import { formatDuration, type AlertMetric, type AlertRule, METRIC_INFO } from './alertRules';
import { formatMetricSpread, formatMetricValue, rateBasisOf } from './alertValueFormat';
import { countText } from './countText';
import { formatNumber } from './format';

/** What `minVolume` counts for each metric (RULES.md's "volume" column), one of it. */
const VOLUME_NOUN: Record<AlertMetric, string> = {
  throughput: 'event',
  approval_rate: 'attempt',
  decline_rate: 'attempt',
  failure_rate: 'attempt',
  risk_flagged_count: 'risk event',
  risk_blocked_count: 'risk event',
  risk_flagged_rate: 'scored payment',
  risk_blocked_rate: 'scored payment',
  risk_score_p95: 'scored event',
  arrival_lag_p95: 'event',
  queue_depth: 'message',
  queue_depth_growth: 'message',
  queue_delay_seconds: 'message',
  queue_drain_seconds: 'message',
  queue_stalled_seconds: 'message',
  queue_oldest_message_age_seconds: 'message',
  consumer_count: 'message',
  no_data: 'event',
};

/** The basis a rate is judged on: per attempt (a retry is another), or per scored payment (one risk decision each). */
function basisOf(metric: AlertMetric): string | null {
  if (metric === 'risk_flagged_rate' || metric === 'risk_blocked_rate') return 'per scored payment';
  return rateBasisOf(metric);
}

function comparisonText(rule: AlertRule): string {
  const c = rule.condition;
  if (!c) return '';
  if (c.kind === 'above' || c.kind === 'below') return `${c.kind} ${formatMetricValue(rule.metric, c.threshold)}`;
  const side = c.direction === 'both' ? 'away from' : c.direction;
  const delta = c.minDelta > 0 ? ` and by at least ${formatMetricSpread(rule.metric, c.minDelta)}` : '';
  const prior = c.prior ? `, from a prior of ${formatMetricValue(rule.metric, c.prior.mean)} +/- ${formatMetricSpread(rule.metric, c.prior.deviation)}` : '';
  return `${side} its baseline by ${formatNumber(c.deviations, 2)} deviations${delta} (half-life ${formatDuration(c.halfLifeMs)}, warm-up ${formatDuration(c.warmupMs)}${prior})`;
}

/** The first few names (a rule may watch 256 queues), then how many more. */
function listed(names: readonly string[]): string {
  const shown = 3;
  return names.length <= shown + 1 ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

export function ruleConditionText(rule: AlertRule): string {
  const volume = VOLUME_NOUN[rule.metric];
  const types = rule.eventTypes ? ` of ${rule.eventTypes.join(', ')}` : '';
  const parts: string[] = [];
  if (rule.metric === 'no_data') {
    parts.push(`no events${types} over ${formatDuration(rule.windowMs)}`);
    if (rule.minVolume > 0) parts.push(`on a stream that usually carries at least ${formatNumber(rule.minVolume, 0)} in such a window`);
  } else {
    const basis = basisOf(rule.metric);
    parts.push(`${METRIC_INFO[rule.metric].label}${types}${basis ? ` ${basis}` : ''} ${comparisonText(rule)} over ${formatDuration(rule.windowMs)}`);
  }
  if (rule.forMs > 0) parts.push(`for ${formatDuration(rule.forMs)}`);
  if (rule.groupBy) parts.push(`per ${rule.groupBy}`);
  if (rule.queues) parts.push(`queues ${listed(rule.queues)}`);
  if (rule.metric !== 'no_data' && rule.minVolume > 0) parts.push(`judged from ${countText(rule.minVolume, volume, `${volume}s`, (n) => formatNumber(n, 0))}`);
  if (rule.recover) parts.push('below' in rule.recover ? `recovers below ${formatMetricValue(rule.metric, rule.recover.below)}` : `recovers above ${formatMetricValue(rule.metric, rule.recover.above)}`);
  if (rule.keepFiringForMs > 0) parts.push(`keeps firing ${formatDuration(rule.keepFiringForMs)} after it clears`);
  return parts.join(', ');
}
