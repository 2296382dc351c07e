// What a rule's alerts say of it for the on-call beside their summary, in Alertmanager's and
// Grafana's annotation terms: `description` (its condition in words, then the rule's own
// description) and `runbook_url`. Worked out once per loaded rule: an instance is saved (and
// published to the metrics stream) at every tick it changes.
import { runbookUrlInput, type AlertRule } from '../../../shared/alertRules';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { MAX_ALERT_DESCRIPTION } from '../../../shared/metricsStream';
import { ruleConditionText } from '../../../shared/ruleConditionText';
import { redactSecrets } from '../redact';

export interface RuleAnnotations {
  description: string;
  /** Null when the rule names none. */
  runbookUrl: string | null;
}

const known = new WeakMap<AlertRule, RuleAnnotations>();

export function ruleAnnotations(rule: AlertRule): RuleAnnotations {
  let found = known.get(rule);
  if (!found) {
    found = { description: cut(`${ruleConditionText(rule)}. ${rule.description}`, MAX_ALERT_DESCRIPTION), runbookUrl: runbookUrlShared(rule.runbookUrl) };
    known.set(rule, found);
  }
  return found;
}

/**
 * A runbook URL as it may leave this console (a webhook, the metrics stream): the rules file is
 * the operator's, and a wiki link written with a login or a token in it ("https://ops:pw@wiki/...",
 * "?token=...") would hand that credential to every receiver. Hidden as log lines hide them.
 */
export function runbookUrlShared(url: string | null | undefined): string | null {
  if (!url) return null;
  // Hidden, it must still be a runbook a follower takes (a hidden token can make it longer).
  const shared = redactSecrets(url);
  return runbookUrlInput.safeParse(shared).success ? shared : null;
}

/** At most `max` UTF-16 units, never half a character, "…" where it was cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1])) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * `r` as the store keeps it over `before` (the instance's record saved last): an instance's
 * records carry the annotations only at its first save and each change of state (AlertInstance),
 * and the store keeps them over the saves between (alertHistoryRepository's upsert).
 */
export function withKeptAnnotations(r: AlertHistoryRecord, before: AlertHistoryRecord | undefined): AlertHistoryRecord {
  if (r.description !== undefined || before?.description === undefined) return r;
  return { ...r, description: before.description, ...(before.runbookUrl === undefined ? {} : { runbookUrl: before.runbookUrl }) };
}
