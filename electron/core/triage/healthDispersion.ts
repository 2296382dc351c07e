// How far the rates of a dimension's segments wander between slices of the baseline as long as
// the board's window: the quasi-binomial factor their health tests are widened by, as explain
// widens its overall test (overdispersion).
import type { SegmentRow } from '../store/segmentRollupRepository';
import { dispersion } from './stats';

/**
 * How much wider than binomial a segment's approval and failure counts vary (1 at least). Retries
 * cluster the outcomes (one payment declined three times is three declines, not three chances) and
 * a merchant's traffic comes in bursts; the binomial z of attempt counts then reads chance as a fall.
 */
export interface SegmentDispersion {
  approval: number;
  failure: number;
}

export const BINOMIAL: SegmentDispersion = { approval: 1, failure: 1 };

export const segmentKey = (r: Pick<SegmentRow, 'dim' | 'value'>): string => `${r.dim}\u0000${r.value}`;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Each dimension's dispersion (1 at least), by dimension name: the median over its segments of
 * each one's own Pearson dispersion across the slices. Per dimension, since a small segment's
 * dozen slices cannot tell retries from chance (judged by its own, calm traffic still read
 * degraded); the median, since a segment whose incident began within the baseline wanders by that
 * incident: its own dispersion would hide it, and a pooled sum would hide it in every segment.
 */
export function dimensionDispersions(slices: readonly SegmentRow[][]): Map<string, SegmentDispersion> {
  const bySegment = new Map<string, SegmentRow[]>();
  slices.forEach((rows, i) => {
    for (const r of rows) {
      const k = segmentKey(r);
      let own = bySegment.get(k);
      if (!own) bySegment.set(k, (own = slices.map(() => ({ ...r, attempts: 0, approvals: 0, declines: 0, failures: 0 }))));
      own[i] = r;
    }
  });
  const perDimension = new Map<string, { approval: number[]; failure: number[] }>();
  for (const rows of bySegment.values()) {
    const d = perDimension.get(rows[0].dim) ?? { approval: [], failure: [] };
    const approval = dispersion(rows.map((s) => ({ x: s.approvals, n: s.attempts })));
    const failure = dispersion(rows.map((s) => ({ x: s.failures, n: s.attempts })));
    if (approval !== null) d.approval.push(approval);
    if (failure !== null) d.failure.push(failure);
    perDimension.set(rows[0].dim, d);
  }
  const spread = new Map<string, SegmentDispersion>();
  for (const [dim, d] of perDimension) spread.set(dim, { approval: Math.max(1, median(d.approval) ?? 1), failure: Math.max(1, median(d.failure) ?? 1) });
  return spread;
}
