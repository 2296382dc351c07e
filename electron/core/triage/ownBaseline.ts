// A segment judged against its own baseline: the test and the bar the health board marks a
// segment by, which explain also reports a segment by when it moved while the whole did not.
import { fisherZ } from './stats';

/** Degraded: a rate moved by at least this many points (approval down, failures up), significantly. */
export const DEGRADED_POINTS = 0.1;

/**
 * z of a segment's rate x1/n1 against its own baseline's x0/n0: Fisher's exact test, widened by
 * `spread` (1 at least), how far the rates of its dimension wander between slices of the baseline
 * beyond chance (healthDispersion.ts).
 */
export function ownBaselineZ(x1: number, n1: number, x0: number, n0: number, spread: number): number {
  return fisherZ(x1, n1, x0, n0) / Math.sqrt(spread);
}
