// How the alerts panel orders what `alerts.list` returns: firing first, then pending,
// then rules without data or in error, then the recently resolved (newest first).
import type { AlertHistoryRecord, AlertState, AlertView, Severity, SilenceMatcher } from '../../../shared/alerts';

const STATE_RANK: Record<AlertState, number> = {
  firing: 0,
  pending: 1,
  error: 2,
  nodata: 3,
  resolved: 4,
  normal: 5,
};

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** When the alert entered its current state (ms), for "since" and ordering. */
export function alertSince(a: AlertView): number | null {
  switch (a.state) {
    case 'firing':
      return a.firedAt ?? a.activeSince ?? lastTransition(a, 'firing');
    case 'pending':
      return a.activeSince ?? lastTransition(a, 'pending');
    case 'resolved':
      return a.resolvedAt ?? lastTransition(a, 'resolved');
    default:
      return lastTransition(a, a.state) ?? a.activeSince;
  }
}

function lastTransition(a: AlertView, state: AlertState): number | null {
  for (let i = (a.transitions?.length ?? 0) - 1; i >= 0; i--) {
    if (a.transitions[i].state === state) return a.transitions[i].at;
  }
  return null;
}

export function compareAlerts(a: AlertView, b: AlertView): number {
  const byState = (STATE_RANK[a.state] ?? 9) - (STATE_RANK[b.state] ?? 9);
  if (byState !== 0) return byState;
  if (a.state !== 'resolved') {
    const bySeverity = (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9);
    if (bySeverity !== 0) return bySeverity;
  }
  const bySince = (alertSince(b) ?? 0) - (alertSince(a) ?? 0);
  if (bySince !== 0) return bySince;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** A sorted copy: firing, pending, error, no data, resolved (newest first), normal. */
export function orderAlerts(alerts: readonly AlertView[]): AlertView[] {
  return [...alerts].sort(compareAlerts);
}

export function countByState(alerts: readonly AlertView[]): Record<AlertState, number> {
  const out: Record<AlertState, number> = { normal: 0, pending: 0, firing: 0, resolved: 0, nodata: 0, error: 0 };
  for (const a of alerts) if (a.state in out) out[a.state]++;
  return out;
}

// --- Operator actions, history and silences (the Alerts view's tabs). ---

export const ALERT_TABS = [
  { id: 'current', label: 'Current' },
  { id: 'history', label: 'History' },
  { id: 'silences', label: 'Silences' },
  { id: 'notifications', label: 'Notifications' },
  { id: 'rules', label: 'Rules' },
] as const;
export type AlertTab = (typeof ALERT_TABS)[number]['id'];

/**
 * The Alerts view with one alert selected: where a notification's click (desktop or browser)
 * takes the operator, as an Alertmanager or Grafana link opens the alert itself.
 */
export function alertHash(key: string): string {
  return `#/alerts?alert=${encodeURIComponent(key)}`;
}

/** The key of the alert the route selects (alertHash), or null. */
export function selectedAlertOf(hash: string): string | null {
  const q = hash.indexOf('?');
  return q < 0 ? null : new URLSearchParams(hash.slice(q + 1)).get('alert') || null;
}

/** The tab of `#/alerts/<tab>`; the current alerts for anything else. */
export function alertTabOf(hash: string): AlertTab {
  const sub = hash.replace(/^#\/?/, '').split(/[/?]/)[1] ?? '';
  return (ALERT_TABS.find((t) => t.id === sub)?.id ?? 'current') as AlertTab;
}

/** Silence durations offered (ms); the engine accepts 1 minute to 30 days. */
export const SILENCE_DURATIONS: readonly { label: string; ms: number }[] = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: 3600_000 },
  { label: '4 hours', ms: 4 * 3600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '1 week', ms: 7 * 86_400_000 },
];

/** Matchers that silence exactly this alert: its rule and every label of its group. */
export function silenceMatchersFor(a: Pick<AlertView, 'rule' | 'labels'>): SilenceMatcher[] {
  return [{ label: 'alertname', op: '=', value: a.rule }, ...Object.entries(a.labels ?? {}).map(([label, value]) => ({ label, op: '=' as const, value }))];
}

/** An alert's labels less the two every alert has (its rule's name and severity): what tells alerts of one rule apart. */
export function ownLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'alertname' && k !== 'severity'));
}

export interface HistoryFilter {
  rule: string;
  severity: '' | 'critical' | 'warning' | 'info';
  /** Only alerts that fired (the default), else every episode. */
  firedOnly: boolean;
  /** How far back, in hours; 0 = all. */
  hours: number;
}

export const DEFAULT_HISTORY_FILTER: HistoryFilter = { rule: '', severity: '', firedOnly: true, hours: 24 };

/** Episodes the history shows at most, newest first; it asks for one more to know whether it leaves older ones out. */
export const HISTORY_SHOWN = 500;

/** The alerts.history arguments for a filter, relative to `now` (the engine's clock). */
export function historyArgs(f: HistoryFilter, now: number): { rule?: string; severity?: 'critical' | 'warning' | 'info'; firedOnly: boolean; since?: number; limit: number } {
  return {
    ...(f.rule.trim() ? { rule: f.rule.trim() } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
    firedOnly: f.firedOnly,
    ...(f.hours > 0 ? { since: Math.floor(now - f.hours * 3600_000) } : {}),
    limit: HISTORY_SHOWN + 1,
  };
}

/** How long an alert fired (or has been firing, until `now`), null if it never fired. */
export function firingDuration(r: Pick<AlertHistoryRecord, 'firedAt' | 'resolvedAt'>, now: number): number | null {
  if (r.firedAt === null) return null;
  return Math.max(0, (r.resolvedAt ?? now) - r.firedAt);
}

/** A backtest's [from, to) for "the last N hours" of a session whose clock reads `clock`. */
export function backtestRange(hours: number, clock: number): { from: number; to: number } {
  const to = Math.floor(clock) + 1;
  return { from: to - Math.round(hours * 3600_000), to };
}
