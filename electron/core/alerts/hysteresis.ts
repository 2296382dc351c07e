// Hysteresis (grafana#30119): a firing alert clears only once its value crosses the recovery
// level (recoverBelow / recoverAbove), not the firing threshold, so a value hovering at the
// threshold does not flap between firing and resolved. A baseline condition has its own recovery
// level: half its band around the mean (BASELINE_RECOVERY_SHARE, judged in ruleCondition.ts).
import type { AlertRule } from '../../../shared/alertRules';
import type { Judgement, Outcome } from './ruleCondition';

/** The outcome for a firing alert: "clear" only when the value is past the recovery level. */
export function withHysteresis(rule: AlertRule, firing: boolean, outcome: Outcome, j: Pick<Judgement, 'value' | 'recovered'>): Outcome {
  if (!firing || outcome !== 'clear') return outcome;
  const r = rule.recover;
  if (!r) return j.recovered ? 'clear' : 'met';
  const value = j.value;
  if (value === null) return outcome;
  const recovered = 'below' in r ? value < r.below : value > r.above;
  return recovered ? 'clear' : 'met';
}
