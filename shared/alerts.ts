// Alert states and views shared by the engine and the renderer (Grafana's state names).
import { quotedValue } from './quotedValue';

export const ALERT_STATES = ['normal', 'pending', 'firing', 'resolved', 'nodata', 'error'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type Severity = 'critical' | 'warning' | 'info';

export interface AlertTransition {
  state: AlertState;
  at: number;
}

export interface AlertView {
  /** Stable id of this alert instance (rule + labels + firing). */
  key: string;
  rule: string;
  severity: Severity;
  labels: Record<string, string>;
  state: AlertState;
  /** The rule's metric: what unit value and peakValue are in (a rate is a fraction: 0.14 = 14 %). */
  metric?: string;
  value: number | null;
  peakValue: number | null;
  summary: string;
  runbookUrl: string | null;
  /**
   * The rule's condition in words and its own description (the `description` annotation);
   * absent where no rule says it (a follower of an older collector).
   */
  description?: string;
  activeSince: number | null;
  firedAt: number | null;
  resolvedAt: number | null;
  silenced: boolean;
  acknowledged: { by: string; note: string; at: number } | null;
  transitions: AlertTransition[];
}

export interface AlertNotification {
  kind: 'firing' | 'resolved';
  rule: string;
  severity: Severity;
  labels: Record<string, string>;
  value: number | null;
  summary: string;
  at: number;
  /** The alert instance this notification is about (AlertView.key). */
  key?: string;
  /** The group in readable form ("merchant m_1042"), null for a whole-stream rule. */
  group?: string | null;
  runbookUrl?: string | null;
  /**
   * The rule's condition in words and its own description (Alertmanager's and Grafana's
   * `description` annotation); absent where no rule says it (a follower of an older collector).
   */
  description?: string;
  /** The rule's metric, the unit of `value` (a rate is a fraction: 0.14 = 14 %); a burn-rate alert's is BURN_RATE_METRIC (its value is the burn, x). */
  metric?: string;
}

/**
 * An alert receivers were told fires was silenced, or its silence ended while it still fires;
 * or an alert fired while a silence held it (`silenced`, never announced), and such an alert
 * resolved or was closed by a rules save (`unsilenced`). Not an announcement (nothing pops up
 * for it): the notification router holds back its repeats while it is silenced, as
 * Alertmanager's mute stage does, still sends its resolve, reports what the silence held back
 * (the notification log's `silenced`), and lets a silenced alert inhibit until it is `unsilenced`.
 */
export interface AlertSilenceChange {
  kind: 'silenced' | 'unsilenced';
  rule: string;
  severity: Severity;
  labels: Record<string, string>;
  /** The alert instance (AlertView.key). */
  key: string;
  /** The evaluator's clock when the silence began or ended. */
  at: number;
  /** The alert's summary then ("FIRING rule: ..."), for the record of what was held back. */
  summary?: string;
}

/**
 * A group's value as an alert names it ("merchant m_1"): quoted, JSON-style, where it would
 * not be seen as written (shared/quotedValue.ts: empty, white space or a quote at either end), so a blank or
 * padded merchant id is not read as no merchant or as another one.
 */
export function groupValueText(value: string): string {
  return quotedValue(value);
}

// --- Added for alert rules, silences and history (issue 4). ---

/** Which group an alert is about, as text: "merchant=m_1042", "queue=payments.work", or "" for a whole-stream rule. */
export type AlertGroupKey = string;


/** Alertmanager-style label matcher; regexes are anchored (match the whole value). */
export interface SilenceMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface AlertSilence {
  id: string;
  matchers: SilenceMatcher[];
  /** Silences are measured on the evaluator's clock: event time (wall time when live). */
  endsAt: number;
  comment: string;
  createdBy: string;
  createdAt: number;
  /** Set when an operator ends the silence early. */
  expiredAt: number | null;
}

export interface AlertNote {
  by: string;
  note: string;
  at: number;
}

/** One alert instance as kept in history (times in epoch ms). */
export interface AlertHistoryRecord {
  key: string;
  rule: string;
  severity: Severity;
  labels: Record<string, string>;
  /** Group key ("merchant=m_1"), "" for whole-stream rules. */
  group: AlertGroupKey;
  /** Last known state of the instance. */
  state: AlertState;
  summary: string;
  /** The rule's metric (the unit of value and peakValue) when the rule is loaded; absent for a rule since removed or disabled. */
  metric?: string;
  /**
   * The rule's runbook (secrets removed), its condition in words and description, as its
   * notifications' `runbook_url` and `description` annotations say them; absent from instances
   * stored before payops kept them, and from an older collector's over the metrics stream.
   */
  runbookUrl?: string;
  description?: string;
  value: number | null;
  peakValue: number | null;
  activeSince: number;
  firedAt: number | null;
  resolvedAt: number | null;
  /** When an instance that never fired went back to normal (or an engine restart closed it). */
  endedAt: number | null;
  silenced: boolean;
  acknowledged: AlertNote | null;
  resolveNote: AlertNote | null;
  transitions: AlertTransition[];
}

/** What `payops alerts --json` prints per alert: the record with ISO times. */
export interface AlertHistoryJson {
  key: string;
  rule: string;
  severity: Severity;
  labels: Record<string, string>;
  group: string;
  state: AlertState;
  summary: string;
  /** The rule's metric, the unit of value and peakValue (absent from instances stored before payops kept it). */
  metric?: string;
  /** The rule's runbook and description, as the notifications' annotations said them (absent from instances stored before payops kept them). */
  runbookUrl?: string;
  description?: string;
  value: number | null;
  peakValue: number | null;
  activeSince: string;
  firedAt: string | null;
  resolvedAt: string | null;
  endedAt: string | null;
  silenced: boolean;
  acknowledged: { by: string; note: string; at: string } | null;
  resolveNote: { by: string; note: string; at: string } | null;
  transitions: { state: AlertState; at: string }[];
}

/**
 * What a history record says of its rule for a notification (metric, runbook, description),
 * the absent ones left out: a follower's notification and a restarted session's carried-on
 * alerts say what the collector's (or the first session's) said.
 */
export function recordAnnotations(r: AlertHistoryRecord): Pick<AlertNotification, 'metric' | 'runbookUrl' | 'description'> {
  return {
    ...(r.metric === undefined ? {} : { metric: r.metric }),
    ...(r.runbookUrl === undefined ? {} : { runbookUrl: r.runbookUrl }),
    ...(r.description === undefined ? {} : { description: r.description }),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const noteJson = (n: AlertNote | null) => (n ? { by: n.by, note: n.note, at: iso(n.at) } : null);

export function alertHistoryRecordToJson(r: AlertHistoryRecord): AlertHistoryJson {
  return {
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    labels: r.labels,
    group: r.group,
    state: r.state,
    summary: r.summary,
    ...(r.metric === undefined ? {} : { metric: r.metric }),
    ...(r.runbookUrl === undefined ? {} : { runbookUrl: r.runbookUrl }),
    ...(r.description === undefined ? {} : { description: r.description }),
    value: r.value,
    peakValue: r.peakValue,
    activeSince: iso(r.activeSince),
    firedAt: isoOrNull(r.firedAt),
    resolvedAt: isoOrNull(r.resolvedAt),
    endedAt: isoOrNull(r.endedAt),
    silenced: r.silenced,
    acknowledged: noteJson(r.acknowledged),
    resolveNote: noteJson(r.resolveNote),
    transitions: r.transitions.map((t) => ({ state: t.state, at: iso(t.at) })),
  };
}

