// Hysteresis (grafana#30119): a firing alert clears only once its value crosses the recovery
// level (recoverBelow / recoverAbove), not the firing threshold, so a value hovering at the
// threshold does not flap between firing and resolved.
import type { AlertRule } from '../../../shared/alertRules';
import type { Outcome } from './ruleCondition';

/** The outcome for a firing alert: "clear" only when the value is past the recovery level. */
export function withHysteresis(rule: AlertRule, firing: boolean, outcome: Outcome, value: number | null): Outcome {
  const r = rule.recover;
  if (!r || !firing || outcome !== 'clear' || value === null) return outcome;
  const recovered = 'below' in r ? value < r.below : value > r.above;
  return recovered ? 'clear' : 'met';
}
