// The notification log as the renderer, the CLI (`payops notifications --json`) and the
// store see it: one entry per delivery attempt, plus each decision not to deliver.
import type { Severity } from './alerts';
import { countText } from './countText';

/**
 * sent / failed: one delivery attempt each (failed: this attempt failed; `final` says whether
 * it was the last). muted (a mute timing), inhibited (a firing source alert), silenced:
 * decided not to deliver. would_notify: a replay or backtest, which never delivers.
 */
export const NOTIFICATION_OUTCOMES = ['sent', 'failed', 'muted', 'inhibited', 'silenced', 'would_notify'] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

export interface NotifiedAlert {
  rule: string;
  severity: Severity;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  fingerprint: string;
  startsAt: number;
  endsAt: number | null;
  summary: string;
  /**
   * What the rule says of the alert for the on-call, the webhook's annotations beside `summary`
   * (`description`, `runbook_url`) and its value in the rule's unit: absent from log entries
   * written before payops kept them, and where no rule says them.
   */
  description?: string;
  runbookUrl?: string;
  /** The rule's metric, the unit of `value` (a rate is a fraction: 0.14 = 14 %). */
  metric?: string;
  value?: number | null;
}

export interface NotificationLogEntry {
  id: number;
  /** Wall time of the attempt or decision (ms). */
  at: number;
  /** The router's clock when it decided (ms): event time in a replay or backtest, wall time live. */
  eventAt: number;
  contactPoint: string;
  contactType: 'webhook' | 'slack' | 'desktop';
  outcome: NotificationOutcome;
  /** firing when any alert in the message fires, else resolved. */
  status: 'firing' | 'resolved';
  groupKey: string;
  groupLabels: Record<string, string>;
  /** Rules of the alerts in the message, sorted, comma-separated. */
  rule: string;
  alerts: NotifiedAlert[];
  /** 1-based attempt of this delivery; 0 for decisions. */
  attempt: number;
  maxAttempts: number;
  /** Whether no further attempt follows (the delivery's last word). */
  final: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number | null;
}

export interface NotificationLogJson extends Omit<NotificationLogEntry, 'at' | 'eventAt' | 'alerts'> {
  at: string;
  eventAt: string;
  /** The labels every alert of the message carries (Alertmanager's commonLabels): one alert's own labels. */
  labels: Record<string, string>;
  /** Delivery attempts made up to this entry (= attempt; 0 for a decision not to deliver). */
  attempts: number;
  alerts: (Omit<NotifiedAlert, 'startsAt' | 'endsAt'> & { startsAt: string; endsAt: string | null })[];
}

/** The label pairs all alerts share. */
function commonLabels(alerts: readonly NotifiedAlert[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.labels).filter(([k, v]) => rest.every((a) => a.labels[k] === v)));
}

// `labels` and `attempts` are the names issue 14 gives the log's fields ("its contact point,
// rule, labels, status, attempts and error"); groupLabels and attempt/maxAttempts stay beside them.
export function notificationLogToJson(e: NotificationLogEntry): NotificationLogJson {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    ...e,
    at: iso(e.at),
    eventAt: iso(e.eventAt),
    labels: commonLabels(e.alerts),
    attempts: e.attempt,
    alerts: e.alerts.map((a) => ({ ...a, startsAt: iso(a.startsAt), endsAt: a.endsAt === null ? null : iso(a.endsAt) })),
  };
}

/**
 * What is said of alert notifications the evaluator dropped, its queue full before they were
 * passed on (EngineSnapshot.notificationsDropped): the end-of-run line of a headless run, and
 * the console's notification log. As Alertmanager's alertmanager_notifications_failed_total, a
 * count an operator can alert on: these reached no contact point and are in no log.
 */
export function droppedNotificationsText(dropped: number): string {
  return `${countText(dropped, 'alert notification')} dropped before routing (the alert evaluator's queue overflowed): sent to no contact point, in no notification log`;
}
