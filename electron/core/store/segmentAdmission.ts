// Thread: the engine thread (inside the ingest transaction, through SegmentRollupRepository).
// Which values of a dimension the segment rollups keep by name (MAX_VALUES_PER_DIMENSION).
//
// While a dimension has room, every new value is admitted. Past the bound a new value is
// counted under (other), and here as a candidate. A candidate whose recent attempts reach
// PROMOTE_MIN and twice those of the weakest admitted value takes that value's place: from then
// on it is counted under its own name, and the value it replaced under (other). So a merchant
// that starts trading after 200 others, or an issuer that grows, gets a row of its own instead
// of staying folded into (other) for the life of the database (a decayed heavy-hitters count,
// with the hysteresis keeping two close values from trading places back and forth).
//
// "Recent": a dimension's counts halve every DECAY_ATTEMPTS of its attempts, so recent follows
// the traffic's own pace, and an event stamped with a wrong clock (a year ahead) cannot stop
// the decay, as an event-time period would. The candidates are halved and pruned whenever
// there are more than MAX_CANDIDATES of them, so memory stays bounded whatever the cardinality
// (a card-testing flood over 100,000 BINs). Everything follows the order of the events, so the
// same events give the same rollups in any batching.
import { MAX_VALUES_PER_DIMENSION } from '../../../shared/segments';

/** Attempts a candidate needs (the volume floor explain and the health board judge from). */
export const PROMOTE_MIN = 20;
/** A dimension's attempts after which its counts halve. */
export const DECAY_ATTEMPTS = 10_000;
const MAX_CANDIDATES = 4 * MAX_VALUES_PER_DIMENSION;

export interface AdmissionChange {
  admitted: string;
  /** The admitted value it replaced (null while the dimension had room). */
  replaced: string | null;
}

interface DimensionState {
  admitted: Map<string, number>;
  candidates: Map<string, number>;
  /** A lower bound of the smallest admitted count (counts only grow between decays). */
  weakestAtLeast: number;
  /** Attempts since the last halving. */
  seen: number;
}

export class SegmentAdmission {
  private readonly dims = new Map<string, DimensionState>();
  /** `admitted`: the stored admitted values, each with its recent attempts. */
  constructor(
    admitted: readonly { dim: string; value: string; attempts: number }[],
    private readonly limit = MAX_VALUES_PER_DIMENSION,
  ) {
    for (const a of admitted) this.stateOf(a.dim).admitted.set(a.value, a.attempts);
  }

  /** Counts one attempt of `value`: is it counted under its name, and did the admitted set change? */
  observe(dim: string, value: string): { kept: boolean; change: AdmissionChange | null } {
    const s = this.stateOf(dim);
    if (++s.seen >= DECAY_ATTEMPTS) decay(s);
    const n = s.admitted.get(value);
    if (n !== undefined) {
      s.admitted.set(value, n + 1);
      return { kept: true, change: null };
    }
    if (s.admitted.size < this.limit) {
      s.admitted.set(value, 1);
      return { kept: true, change: { admitted: value, replaced: null } };
    }
    const c = (s.candidates.get(value) ?? 0) + 1;
    if (c >= PROMOTE_MIN && c >= 2 * s.weakestAtLeast) {
      const weakest = this.weakest(s);
      if (c >= 2 * weakest.count) {
        s.admitted.delete(weakest.value);
        s.candidates.delete(value);
        s.admitted.set(value, c);
        // The replaced value competes again from its recent count.
        s.candidates.set(weakest.value, weakest.count);
        s.weakestAtLeast = 0;
        return { kept: true, change: { admitted: value, replaced: weakest.value } };
      }
    }
    s.candidates.set(value, c);
    if (s.candidates.size > MAX_CANDIDATES) halve(s.candidates);
    return { kept: false, change: null };
  }

  private weakest(s: DimensionState): { value: string; count: number } {
    let value = '';
    let count = Infinity;
    for (const [v, n] of s.admitted) {
      if (n < count || (n === count && v < value)) {
        value = v;
        count = n;
      }
    }
    s.weakestAtLeast = count;
    return { value, count };
  }

  private stateOf(dim: string): DimensionState {
    let s = this.dims.get(dim);
    if (!s) this.dims.set(dim, (s = { admitted: new Map(), candidates: new Map(), weakestAtLeast: 0, seen: 0 }));
    return s;
  }
}

function decay(s: DimensionState): void {
  for (const [v, n] of s.admitted) s.admitted.set(v, Math.floor(n / 2));
  halve(s.candidates);
  s.weakestAtLeast = 0;
  s.seen = 0;
}

/** Halves every count and drops the ones that reach zero. */
function halve(counts: Map<string, number>): void {
  for (const [v, n] of counts) {
    const half = Math.floor(n / 2);
    if (half === 0) counts.delete(v);
    else counts.set(v, half);
  }
}
