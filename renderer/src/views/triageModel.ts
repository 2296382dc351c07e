// What the triage view reads from its route (#/triage?from=..&to=..&metric=..). An alert's
// explain window and metric are shared/triage.ts (the incident report explains the same one).
// Pure: unit-tested.
import { TRIAGE_METRICS, type TriageMetric } from '../../../shared/triage';

export interface TriageRoute {
  from: number | null;
  to: number | null;
  metric: TriageMetric;
}

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
