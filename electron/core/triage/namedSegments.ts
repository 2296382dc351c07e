// A value of a dimension earns a name of its own out of the folded '(other)' tail, or loses it,
// as traffic goes (segmentAdmission.ts). Over minutes that span such a change, the value's named
// rows and '(other)' differ between two periods by the change of name, not by traffic: explain
// named a promoted merchant as a mix contributor, and the health board a replaced one as down.
// Such a value is compared folded into '(other)', on both sides alike, unless its group with
// '(other)' changed its share of traffic (keepMovedNames): a value from the tail flooded with
// card tests is promoted by the flood, and it is what an explanation must name.
import { NONE_VALUE, OTHER_VALUE, SEGMENT_DIMENSIONS } from '../../../shared/segments';
import type { DeclineCodeRow, SegmentRow } from '../store/segmentRow';
import { addCounts } from '../store/segmentRollupRepository';
import { Z_SEGMENT } from './explain';
import { twoProportionZ } from './stats';

const DIMS = new Set<string>(SEGMENT_DIMENSIONS);

/** Whether the row's value is to be read as '(other)': named, but not throughout the compared minutes. */
function folds(dim: string, value: string, named: Set<string>): boolean {
  return DIMS.has(dim) && value !== OTHER_VALUE && value !== NONE_VALUE && !named.has(`${dim}\u0000${value}`);
}

/** The dimension whose attempts are every attempt (as explain reads its totals). */
const TOTAL_DIMENSION = 'merchantId';

/**
 * `named` widened by the renamed values of every dimension whose renamed values and '(other)',
 * taken together, changed their share of traffic between the two periods (|z| >= Z_SEGMENT).
 * Churn at the bound moves traffic between a value's name and '(other)' and leaves the group's
 * share where it was: those values fold. A flood into one value from the tail moves the group's
 * share: its values keep their names, compared as stored (its earlier traffic inside '(other)').
 */
export function keepMovedNames(window: SegmentRow[], baseline: SegmentRow[], named: Set<string> | null): Set<string> | null {
  if (named === null) return null;
  const groups = new Map<string, { window: number; baseline: number; renamed: Set<string> }>();
  const totals = { window: 0, baseline: 0 };
  const add = (rows: SegmentRow[], side: 'window' | 'baseline') => {
    for (const r of rows) {
      if (r.dim === TOTAL_DIMENSION) totals[side] += r.attempts;
      const renamed = folds(r.dim, r.value, named);
      if (!renamed && !(r.value === OTHER_VALUE && DIMS.has(r.dim))) continue;
      let g = groups.get(r.dim);
      if (!g) groups.set(r.dim, (g = { window: 0, baseline: 0, renamed: new Set() }));
      g[side] += r.attempts;
      if (renamed) g.renamed.add(`${r.dim}\u0000${r.value}`);
    }
  };
  add(window, 'window');
  add(baseline, 'baseline');
  let keep: Set<string> | null = null;
  for (const g of groups.values()) {
    if (g.renamed.size === 0 || Math.abs(twoProportionZ(g.window, totals.window, g.baseline, totals.baseline)) < Z_SEGMENT) continue;
    keep ??= new Set(named);
    for (const k of g.renamed) keep.add(k);
  }
  return keep ?? named;
}

/** `rows` with every value not named throughout (`named`; null: no record, nothing folds) summed into its dimension's '(other)'. */
export function foldRenamedSegments(rows: SegmentRow[], named: Set<string> | null): SegmentRow[] {
  if (named === null || !rows.some((r) => folds(r.dim, r.value, named))) return rows;
  const out: SegmentRow[] = [];
  const other = new Map<string, SegmentRow>();
  const otherOf = (dim: SegmentRow['dim']) => {
    let o = other.get(dim);
    if (!o) {
      o = { dim, value: OTHER_VALUE, attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0, payments: 0 };
      other.set(dim, o);
      out.push(o);
    }
    return o;
  };
  for (const r of rows) {
    if (r.value === OTHER_VALUE && DIMS.has(r.dim)) addCounts(otherOf(r.dim), r);
    else if (folds(r.dim, r.value, named)) addCounts(otherOf(r.dim), r);
    else out.push(r);
  }
  return out;
}

/** The decline codes of `rows` folded as foldRenamedSegments folds their segments. */
export function foldRenamedCodes(rows: DeclineCodeRow[], named: Set<string> | null): DeclineCodeRow[] {
  if (named === null || !rows.some((r) => folds(r.dim, r.value, named))) return rows;
  const merged = new Map<string, DeclineCodeRow>();
  for (const r of rows) {
    const value = folds(r.dim, r.value, named) ? OTHER_VALUE : r.value;
    const k = `${r.dim}\u0000${value}\u0000${r.code}`;
    const m = merged.get(k);
    if (m) m.count += r.count;
    else merged.set(k, { dim: r.dim, value, code: r.code, count: r.count });
  }
  return [...merged.values()];
}
