// Which alerts a silence mutes, as the engine decides (shared/labelMatchers.ts). Kept out of the
// alerts store: the RE2 engine it needs loads with the Alerts view, not with the app.
import type { AlertView, SilenceMatcher } from '../../../shared/alerts';
import { silenceMatcherMatches } from '../../../shared/labelMatchers';

/** Whether `labels` (plus alertname and severity) match every matcher. */
export function silenceMatches(matchers: readonly SilenceMatcher[], a: Pick<AlertView, 'rule' | 'labels' | 'severity'>): boolean {
  const labels: Record<string, string> = { ...a.labels, alertname: a.rule, severity: a.severity };
  return matchers.every((m) => silenceMatcherMatches(m, labels[m.label] ?? ''));
}
