// What the triage view reads from its route (#/triage?from=..&to=..&metric=..). An alert's
// explain window and metric are shared/triage.ts (the incident report explains the same one).
// Pure: unit-tested.
import { filterOfSegment } from '../../../shared/explorer';
import type { SegmentDimension } from '../../../shared/segments';
import { TRIAGE_METRICS, twinOf, type Contributor, type Explanation, type TriageMetric } from '../../../shared/triage';
import { explorerHash } from './explorer/explorerModel';

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

/**
 * The explorer's route for a segment's payments over a window (ISO times of an explanation or
 * a health board); null for a segment no filter selects (the folded tail, "(none)").
 */
export function segmentPaymentsHash(window: { from: string; to: string }, segments: { dimension: SegmentDimension; value: string }[]): string | null {
  const filters = segments.map((s) => filterOfSegment(s.dimension, s.value));
  if (filters.length === 0 || filters.some((f) => f === null)) return null;
  return explorerHash({ from: Date.parse(window.from), to: Date.parse(window.to), ...Object.assign({}, ...filters) });
}

/** A contributor's payments over the explained window, with its twin (an issuer's one BIN) as the headline names them. */
export function contributorPaymentsHash(e: Explanation, c: Contributor): string | null {
  const twin = twinOf(e, c);
  return segmentPaymentsHash(e.window, twin ? [c, twin] : [c]);
}

/** Rows the health board draws at most: a board of every merchant (PaySim has ~10,000) is found by search, not scrolled. */
export const HEALTH_ROWS_SHOWN = 60;

/**
 * The judged segments the health board shows for what the operator typed (case-insensitive, in
 * the value or the dimension's name; all when empty), in the board's order (worst first), at
 * most `cap`; `matched` counts all that match, so the board says how many it leaves out.
 */
export function healthRowsShown<T extends { dimension: string; value: string }>(judged: T[], query: string, cap = HEALTH_ROWS_SHOWN): { rows: T[]; matched: number } {
  const q = query.trim().toLowerCase();
  const matching = q ? judged.filter((s) => s.value.toLowerCase().includes(q) || s.dimension.toLowerCase().includes(q)) : judged;
  return { rows: matching.slice(0, cap), matched: matching.length };
}
