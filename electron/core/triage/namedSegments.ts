// A value of a dimension earns a name of its own out of the folded '(other)' tail, or loses it,
// as traffic goes (segmentAdmission.ts). Over minutes that span such a change, the value's named
// rows and '(other)' differ between two periods by the change of name, not by traffic: explain
// named a promoted merchant as a mix contributor, and the health board a replaced one as down.
// Such a value is compared folded into '(other)', on both sides alike.
import { NONE_VALUE, OTHER_VALUE, SEGMENT_DIMENSIONS } from '../../../shared/segments';
import type { DeclineCodeRow, SegmentRow } from '../store/segmentRow';
import { addCounts } from '../store/segmentRollupRepository';

const DIMS = new Set<string>(SEGMENT_DIMENSIONS);

/** Whether the row's value is to be read as '(other)': named, but not throughout the compared minutes. */
function folds(dim: string, value: string, named: Set<string>): boolean {
  return DIMS.has(dim) && value !== OTHER_VALUE && value !== NONE_VALUE && !named.has(`${dim}\u0000${value}`);
}

/** `rows` with every value not named throughout (`named`; null: no record, nothing folds) summed into its dimension's '(other)'. */
export function foldRenamedSegments(rows: SegmentRow[], named: Set<string> | null): SegmentRow[] {
  if (named === null || !rows.some((r) => folds(r.dim, r.value, named))) return rows;
  const out: SegmentRow[] = [];
  const other = new Map<string, SegmentRow>();
  const otherOf = (dim: SegmentRow['dim']) => {
    let o = other.get(dim);
    if (!o) {
      o = { dim, value: OTHER_VALUE, attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0 };
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
