// How the alerts panel orders what `alerts.list` returns: firing first, then pending,
// then rules without data or in error, then the recently resolved (newest first).
import type { AlertState, AlertView, Severity } from '../../../shared/alerts';

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
