// The text of a desktop notification for an alert push.
import type { AlertNotification } from '../../shared/alerts';
import { formatAlertValueText } from '../../shared/alertValueFormat';
import { isolatedLabelsText, withFormatCharactersShown } from '../../shared/formatCharacters';
import { parseMenuPush, type MenuPush } from '../../shared/menuPush';
import { runbookHost } from '../../shared/runbookLink';

/** Characters of a notification's body (what the desktop's notification centres show of it). */
const BODY_MAX = 300;

/** In the rule's unit when the notification names its metric, a rate with its basis ("20 % per attempt", "12.5 s"), as the alert list and the browser notification read it. */
export function formatAlertValue(value: number | null, metric?: string): string {
  return value === null || !Number.isFinite(value) ? 'no data' : formatAlertValueText(value, metric);
}

/**
 * Title names the rule (and whether it fired or resolved); body the labels and the value. Label
 * values and the summary carry the publisher's text: undrawn characters are written as \uXXXX and
 * each value is isolated (FSI … PDI), as the browser notification's body is.
 */
export function formatAlertNotification(n: AlertNotification): { title: string; body: string; urgency: 'critical' | 'normal' | 'low' } {
  const state = n.kind === 'firing' ? 'Firing' : 'Resolved';
  const title = `${state}: ${n.rule}`.slice(0, 120);
  const labels = isolatedLabelsText(Object.entries(n.labels).sort(([a], [b]) => a.localeCompare(b)));
  const parts = [labels || 'all', `value ${formatAlertValue(n.value, n.metric)}`];
  if (n.summary) parts.push(withFormatCharactersShown(n.summary));
  // The runbook's host only (a URL's path or query may hold a token; the notification has no
  // link to press, its click opens the alert in the Alerts view, beside its Runbook link), kept whole at
  // the end however long the summary before it is.
  const host = runbookHost(n.runbookUrl);
  const runbook = host ? ` · Runbook: ${host}` : '';
  const body = `${parts.join(' · ').slice(0, Math.max(0, BODY_MAX - runbook.length))}${runbook}`.slice(0, BODY_MAX);
  const urgency = n.kind === 'firing' && n.severity === 'critical' ? 'critical' : n.kind === 'firing' ? 'normal' : 'low';
  return { title, body, urgency };
}

/**
 * What a click on an alert's notification tells the renderer: open that alert (the Alerts view,
 * its row selected), or the Alerts view alone when the notification names no alert it can open.
 */
export function notificationClickPush(n: Pick<AlertNotification, 'key'>): MenuPush {
  return parseMenuPush({ command: 'alert.open', key: n.key }) ?? { command: 'view.alerts' };
}
