// Explain conditioned on the flood: whose own rate moved once the traffic that surged into the
// window is set aside. A card-testing flood (thousands of declined attempts at a few merchants)
// during an issuer outage lowers the rate of every segment the flood's cards pass through: every
// scheme, every acquirer, every country read "approval 42 % vs 93 %", and ranked by the size of
// their change the scheme and the acquirers came before the issuer that failed. Their rates moved
// by what they carried (a mix effect one level down, which the per-dimension rollups show as a
// rate effect), not by themselves.
//
// The flood: the values of one dimension whose share of attempts grew significantly, of the
// dimension where that growth is largest and purest (the finest place the surge shows: a merchant
// flooded is nearly all flood in the window, its acquirer grows by as much but holds its other
// traffic too). Its excess attempts (beyond the values' baseline share of the rest of the
// traffic) carry the flood's own rate; its values are set aside with it. Every segment of another dimension is read with the flood's part of it taken
// out: its attempts beyond its baseline share of the traffic without the flood, at the flood's
// rate (the rollups hold one dimension at a time, so how the flood spreads over a scheme's values
// is estimated from their volumes; the cross table is not kept). Its own change is then how far
// its rate moved beyond the rest of its dimension's, both so read: what moved every value alike
// (the flood's cards in every scheme, or an error in the flood's estimated size) cancels.
import type { SegmentDimension } from '../../../shared/segments';
import { Z_SEGMENT } from './stats';
import type { SegmentSides } from './shiftShare';

export interface SegmentChange extends SegmentSides {
  dimension: SegmentDimension;
  value: string;
  /** |z| of its share of attempts, window against baseline (0 under the volume floor). */
  zShare: number;
}

export interface Flood {
  dimension: SegmentDimension;
  values: ReadonlySet<string>;
  /** Excess attempts of the flood's values, and the numerator they carry at the flood's window rate. */
  attempts: number;
  numerator: number;
}

/** Attempts of a segment beyond its baseline share of `rest1` (0 when none). */
const excessOver = (s: SegmentSides, rest1: number, total0: number): number => (total0 > 0 ? Math.max(0, s.n1 - (s.n0 * rest1) / total0) : 0);

/**
 * The flood, or null when no value's share grew significantly. `total1`/`total0`: every attempt
 * of the window and of the baseline.
 */
export function findFlood(segments: readonly SegmentChange[], total1: number, total0: number): Flood | null {
  const byDimension = new Map<SegmentDimension, SegmentChange[]>();
  for (const s of segments) {
    if (s.zShare < Z_SEGMENT || total0 <= 0 || s.n1 / total1 <= s.n0 / total0) continue;
    const list = byDimension.get(s.dimension);
    if (list) list.push(s);
    else byDimension.set(s.dimension, [s]);
  }
  let best: { weight: number; flood: Flood } | null = null;
  for (const [dimension, surged] of byDimension) {
    // The flood's excess: fixed point of "beyond its baseline share of the traffic without it"
    // (the flood inflates the window's total, and with it what every value's share expects).
    let attempts = 0;
    for (let i = 0; i < 8; i++) attempts = surged.reduce((a, s) => a + excessOver(s, total1 - attempts, total0), 0);
    const n1 = surged.reduce((a, s) => a + s.n1, 0);
    const x1 = surged.reduce((a, s) => a + s.x1, 0);
    // Every dimension the flood passes through grows by about its size (a merchant flooded and
    // its acquirer alike); the flood is where its values were nearly all flood: excess weighted
    // by the share of their window it is. A flood read at its acquirer would carry the
    // acquirer's rate, not the flood's.
    const weight = n1 > 0 ? (attempts * attempts) / n1 : 0;
    if (weight <= 0 || (best !== null && weight <= best.weight)) continue;
    best = { weight, flood: { dimension, values: new Set(surged.map((s) => s.value)), attempts, numerator: (attempts * x1) / n1 } };
  }
  return best?.flood ?? null;
}

export interface OwnChange {
  /** The segment's window with the flood's part taken out (its own window where it is of the flood's dimension). */
  sides: SegmentSides;
  /**
   * How far its rate moved beyond the rest of its dimension's (both with the flood set aside; in
   * the flood's dimension the rest is the values outside the flood): a difference in differences,
   * 0 where a side has no attempts. Whatever moved every value alike (the flood's cards spread
   * over every scheme, or a flood's size misjudged by a few attempts) cancels.
   */
  beyondRest: number;
  /** |z| of beyondRest (binomial variances of the four rates, and the estimated flood's). */
  z: number;
  /** Its mean share of attempts, the flood set aside. */
  meanShare: number;
  /**
   * Kitagawa's rate effect on the traffic without the flood (its own rate's change at its mean
   * share): its own counts alone, so that an issuer and its only BIN range, the same traffic,
   * score the same.
   */
  rateEffect: number;
}

/**
 * A segment's window with the flood's excess taken out (attempts beyond its baseline share of the
 * rest, at the flood's rate), and how many attempts that share expected (the excess is estimated
 * from them: their chance variation is the estimate's; 0 where nothing is taken out).
 */
function withoutFlood(s: SegmentChange, flood: Flood | null, rest1: number, total0: number): { sides: SegmentSides; expected: number } {
  if (flood === null || s.dimension === flood.dimension || total0 <= 0) return { sides: { x1: s.x1, n1: s.n1, x0: s.x0, n0: s.n0 }, expected: 0 };
  const excess = Math.min(excessOver(s, rest1, total0), flood.attempts);
  const n1 = s.n1 - excess;
  const x1 = Math.min(n1, Math.max(0, s.x1 - (excess * flood.numerator) / flood.attempts));
  return { sides: { x1, n1, x0: s.x0, n0: s.n0 }, expected: (s.n0 * rest1) / total0 };
}

interface Read {
  sides: SegmentSides;
  expected: number;
}

/**
 * Variance of the window's rate x1/n1 of a read: binomial, plus the estimated excess's (each
 * attempt more or less taken out at the flood's rate moves the rate by (rate - flood's) / n1;
 * the excess varies as a count of `expected`, by the delta method).
 */
function windowVariance(r: Read, floodRate: number): number {
  const { x1, n1 } = r.sides;
  const p = Math.min(Math.max(x1 / n1, 0), 1);
  return (p * (1 - p)) / n1 + r.expected * ((p - floodRate) / n1) ** 2;
}

const baselineVariance = (s: SegmentSides) => ((s.x0 / s.n0) * (1 - s.x0 / s.n0)) / s.n0;

/** Every segment's own change, keyed as `segments` (conditioned on the flood, as it is when there is none). */
export function ownChanges(segments: ReadonlyMap<string, SegmentChange>, flood: Flood | null, total1: number, total0: number): Map<string, OwnChange> {
  const rest1 = flood === null ? total1 : Math.max(0, total1 - flood.attempts);
  const floodRate = flood !== null && flood.attempts > 0 ? flood.numerator / flood.attempts : 0;
  const isFlood = (s: SegmentChange) => flood !== null && s.dimension === flood.dimension && flood.values.has(s.value);
  const reads = new Map<string, Read>();
  const sums = new Map<SegmentDimension, Read>();
  for (const [k, s] of segments) {
    const read = withoutFlood(s, flood, rest1, total0);
    reads.set(k, read);
    if (isFlood(s)) continue;
    const sum = sums.get(s.dimension) ?? { sides: { x1: 0, n1: 0, x0: 0, n0: 0 }, expected: 0 };
    const c = read.sides;
    sums.set(s.dimension, { sides: { x1: sum.sides.x1 + c.x1, n1: sum.sides.n1 + c.n1, x0: sum.sides.x0 + c.x0, n0: sum.sides.n0 + c.n0 }, expected: sum.expected + read.expected });
  }
  const out = new Map<string, OwnChange>();
  const empty: Read = { sides: { x1: 0, n1: 0, x0: 0, n0: 0 }, expected: 0 };
  for (const [k, s] of segments) {
    const read = reads.get(k)!;
    const c = read.sides;
    const sum = sums.get(s.dimension) ?? empty;
    // The rest of its dimension: the values outside the flood, itself left out.
    const rest: Read = isFlood(s)
      ? sum
      : { sides: { x1: sum.sides.x1 - c.x1, n1: sum.sides.n1 - c.n1, x0: sum.sides.x0 - c.x0, n0: sum.sides.n0 - c.n0 }, expected: sum.expected - read.expected };
    const r = rest.sides;
    const meanShare = ((rest1 > 0 ? c.n1 / rest1 : 0) + (total0 > 0 ? c.n0 / total0 : 0)) / 2;
    // The flood's own values moved by the flood: set aside with it. Under a handful of attempts
    // (counts summed in floating point) a side has no rate.
    if (isFlood(s) || c.n1 < 1 || c.n0 < 1 || r.n1 < 1 || r.n0 < 1) {
      out.set(k, { sides: c, beyondRest: 0, z: 0, meanShare, rateEffect: 0 });
      continue;
    }
    const ownChange = c.x1 / c.n1 - c.x0 / c.n0;
    const beyondRest = ownChange - (r.x1 / r.n1 - r.x0 / r.n0);
    const se = Math.sqrt(windowVariance(read, floodRate) + baselineVariance(c) + windowVariance(rest, floodRate) + baselineVariance(r));
    out.set(k, { sides: c, beyondRest, z: se > 0 ? Math.abs(beyondRest) / se : 0, meanShare, rateEffect: ownChange * meanShare });
  }
  return out;
}
