// Kitagawa shift-share decomposition of a change in an overall rate across the segments of one
// dimension. With s the segment's share of attempts and r its rate (0 = baseline, 1 = window):
//   overall change = Σ (s1 r1 - s0 r0) = Σ rate_i + Σ mix_i
//   rate_i = (r1 - r0) (s0 + s1) / 2                       its own rate moved
//   mix_i  = (s1 - s0) ((r0 + r1) / 2 - (R0 + R1) / 2)     its share moved
// The mix term is measured against the average overall rate R: since the shares' changes sum
// to zero this leaves the total unchanged, and a segment that only gave up share to others of
// the same rate contributes nothing (plain Kitagawa would blame every big segment a little).
// A segment absent from one side takes the other side's rate there (all of it is mix).

export interface SegmentSides {
  /** Numerator (approvals, declines or failures) and attempts, window and baseline. */
  x1: number;
  n1: number;
  x0: number;
  n0: number;
}

export interface ShiftShare {
  rate: number;
  mix: number;
}

export function shiftShare(seg: SegmentSides, total1: number, total0: number, overall1: number, overall0: number): ShiftShare {
  const s1 = total1 > 0 ? seg.n1 / total1 : 0;
  const s0 = total0 > 0 ? seg.n0 / total0 : 0;
  const r1raw = seg.n1 > 0 ? seg.x1 / seg.n1 : null;
  const r0raw = seg.n0 > 0 ? seg.x0 / seg.n0 : null;
  const r1 = r1raw ?? r0raw ?? 0;
  const r0 = r0raw ?? r1raw ?? 0;
  const meanOverall = (overall0 + overall1) / 2;
  return {
    rate: ((r1 - r0) * (s0 + s1)) / 2,
    mix: (s1 - s0) * ((r0 + r1) / 2 - meanOverall),
  };
}
