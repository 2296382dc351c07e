// What the triage view reads from its route (#/triage?from=..&to=..&metric=..) and how an
// alert becomes an explain window. Pure: unit-tested.
import type { AlertView } from '../../../shared/alerts';
import { TRIAGE_METRICS, type TriageMetric } from '../../../shared/triage';

export interface TriageRoute {
  from: number | null;
  to: number | null;
  metric: TriageMetric;
}

const MINUTE = 60_000;

export function triageRouteOf(hash: string): TriageRoute {
  const q = hash.indexOf('?');
  const p = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  const num = (k: string) => {
    const v = Number(p.get(k));
    return p.has(k) && Number.isFinite(v) && v >= 0 ? v : null;
  };
  const metric = p.get('metric');
  return { from: num('from'), to: num('to'), metric: (TRIAGE_METRICS as readonly string[]).includes(metric ?? '') ? (metric as TriageMetric) : 'approval-rate' };
}

export function triageHash(from: number, to: number, metric: TriageMetric): string {
  return `#/triage?from=${Math.round(from)}&to=${Math.round(to)}&metric=${metric}`;
}

/** Failure alerts are explained by the failure rate; every other one by approval (declines move it too). */
export function metricOfAlert(a: Pick<AlertView, 'rule'>): TriageMetric {
  return /fail|acquirer-down/.test(a.rule) ? 'failure-rate' : 'approval-rate';
}

/**
 * From when it became active (pending, then firing) to its resolution (or now), at least a
 * minute. Not earlier than that: explain compares the window with the minutes before it, and
 * those must be the calm ones.
 */
export function alertWindow(a: Pick<AlertView, 'firedAt' | 'resolvedAt' | 'activeSince'>, now: number): { from: number; to: number } {
  const from = a.activeSince ?? a.firedAt ?? now - 5 * MINUTE;
  const to = Math.max(a.resolvedAt ?? now, from + MINUTE);
  return { from, to };
}
