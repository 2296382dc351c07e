// What a contact point receives: Alertmanager's webhook JSON (version "4") or a Slack-style
// incoming-webhook message. Each alert carries the annotations Alertmanager and Grafana send
// (summary, description, runbook_url) and, as Grafana's webhook does, its value (`values`,
// `valueString`, here in the rule's unit).
import { formatAlertValueText } from '../../../shared/alertValueFormat';
import type { NotifiedAlert } from '../../../shared/notifications';
import { runbookUrlShared } from '../alerts/ruleAnnotations';
import type { Dispatch } from './router';

/** Alertmanager writes the zero time for "not ended yet". */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface AlertmanagerWebhookV4 {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
    /** Grafana's: the value the rule judged, by the rule's metric (a rate is a fraction: 0.14 = 14 %); absent with no value. */
    values?: Record<string, number>;
    /** Grafana's name: that value as an operator reads it, in the rule's unit ("14 % per attempt"). */
    valueString?: string;
  }[];
}

/** Slack cuts (or refuses) a message's text past 40,000 characters. */
export const SLACK_TEXT_LIMIT = 40_000;

/** The first `max` alerts (0: all) and how many were left out, as Alertmanager's max_alerts. */
function truncateAlerts(alerts: readonly NotifiedAlert[], max: number): { kept: readonly NotifiedAlert[]; truncated: number } {
  return max > 0 && alerts.length > max ? { kept: alerts.slice(0, max), truncated: alerts.length - max } : { kept: alerts, truncated: 0 };
}

export function alertmanagerPayload(d: Dispatch): AlertmanagerWebhookV4 {
  const { kept, truncated } = truncateAlerts(d.alerts, d.contactPoint.maxAlerts);
  const alerts = kept.map((a) => ({
    status: a.status,
    labels: { ...a.labels },
    annotations: annotationsOf(a),
    startsAt: new Date(a.startsAt).toISOString(),
    endsAt: a.endsAt === null ? ZERO_TIME : new Date(a.endsAt).toISOString(),
    generatorURL: '',
    fingerprint: a.fingerprint,
    ...valuesOf(a),
  }));
  return {
    version: '4',
    groupKey: d.groupKey,
    truncatedAlerts: truncated,
    status: d.status,
    receiver: d.contactPoint.name,
    groupLabels: { ...d.groupLabels },
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: '',
    alerts,
  };
}

export function slackPayload(d: Dispatch): { text: string } {
  const firing = d.alerts.filter((a) => a.status === 'firing').length;
  const head = `[${d.status.toUpperCase()}${firing ? `:${firing}` : ''}] ${slackEscape(Object.values(d.groupLabels).join(' ') || d.alerts[0]?.rule || '')}`;
  const { kept } = truncateAlerts(d.alerts, d.contactPoint.maxAlerts);
  // A group of thousands (a rule grouped by merchant) still makes one message Slack takes whole.
  const moreReserve = 40;
  const lines = [head];
  let length = head.length;
  for (const a of kept) {
    const line = `- ${slackEscape(a.summary)}${slackRunbook(a)}`;
    if (length + 1 + line.length + moreReserve > SLACK_TEXT_LIMIT) break;
    lines.push(line);
    length += 1 + line.length;
  }
  const more = d.alerts.length - (lines.length - 1);
  if (more > 0) lines.push(`- ... and ${more} more`);
  return { text: lines.join('\n') };
}

/**
 * Slack's control characters as entities (its formatting reference asks for exactly these
 * three): label values come from the payment stream, and "<!channel>" or "<https://x|text>"
 * in a merchant id must not ping a channel or show a disguised link.
 */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A runbook as a Slack link: an http(s) URL as `<url|runbook>` (escaped as Slack asks, its `|`
 * percent-encoded so it cannot end the URL early and name the link), a relative docs path as text.
 */
function slackRunbook(a: NotifiedAlert): string {
  const url = runbookUrlShared(a.runbookUrl);
  if (!url) return '';
  return /^https?:\/\//i.test(url) ? ` · <${slackEscape(url.replace(/\|/g, '%7C'))}|runbook>` : ` · runbook: ${slackEscape(url)}`;
}

function annotationsOf(a: NotifiedAlert): Record<string, string> {
  const out: Record<string, string> = { summary: a.summary };
  if (a.description) out.description = a.description;
  const runbook = runbookUrlShared(a.runbookUrl);
  if (runbook) out.runbook_url = runbook;
  return out;
}

function valuesOf(a: NotifiedAlert): { values?: Record<string, number>; valueString?: string } {
  if (typeof a.value !== 'number' || !Number.isFinite(a.value)) return {};
  return { values: { [a.metric ?? 'value']: a.value }, valueString: formatAlertValueText(a.value, a.metric) };
}

/** Labels (or annotations) every item shares with the same value. */
function common(items: Record<string, string>[]): Record<string, string> {
  if (items.length === 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(items[0])) if (items.every((i) => i[k] === v)) out[k] = v;
  return out;
}
