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

/** The explain panel's request: which one is current (numbered as started), its metric, and its answer so far. */
export interface ExplainState {
  request: number;
  metric: TriageMetric;
  explanation: Explanation | null;
  error: string | null;
}

export type ExplainEvent =
  | { kind: 'started'; request: number; metric: TriageMetric }
  | { kind: 'answered'; request: number; explanation: Explanation }
  | { kind: 'failed'; request: number; message: string };

export const EXPLAIN_IDLE: ExplainState = { request: 0, metric: 'approval-rate', explanation: null, error: null };

/**
 * A new request clears the answer and the error of the one before (an error stays on screen only
 * for the request it is about); an answer or a failure of any request but the latest started is
 * dropped, however late it comes.
 */
export function explainStep(s: ExplainState, ev: ExplainEvent): ExplainState {
  if (ev.kind === 'started') return { request: ev.request, metric: ev.metric, explanation: null, error: null };
  if (ev.request !== s.request) return s;
  return ev.kind === 'answered' ? { ...s, explanation: ev.explanation, error: null } : { ...s, explanation: null, error: ev.message };
}
