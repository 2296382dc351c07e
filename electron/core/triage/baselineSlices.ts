// The baseline cut into slices as long as the window, each slice's segment rows: how far each
// dimension's rates wander between windows of that length (healthDispersion.ts). Read alike for
// the health board and explain, so that both widen a segment's test by the same spread.
import type { ReadStore } from '../store/store';
import type { SegmentRow } from '../store/segmentRollupRepository';
import { foldRenamedSegments } from './namedSegments';

/** Slices read, at most (the board's default hour holds 12 of 5 minutes). */
export const DISPERSION_SLICES = 12;

/**
 * The last slices of `sliceMinutes` ending at `toMinute`, none starting before `fromMinute`
 * (oldest first), values folded as `named` folds them. At most DISPERSION_SLICES, one read each:
 * a week's baseline for a one-minute window would be ten thousand reads.
 */
export function baselineSegmentSlices(segments: ReadStore['segments'], fromMinute: number, toMinute: number, sliceMinutes: number, named: Set<string> | null): SegmentRow[][] {
  const slices: SegmentRow[][] = [];
  for (let end = toMinute; end - sliceMinutes >= fromMinute && slices.length < DISPERSION_SLICES; end -= sliceMinutes) {
    slices.unshift(foldRenamedSegments(segments.segmentsBetween(end - sliceMinutes, end), named));
  }
  return slices;
}
