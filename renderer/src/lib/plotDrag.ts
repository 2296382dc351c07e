// From pixels in a plot to the time range a drag selects.
import type { PlotFrame } from './stackedArea';

/** A drag narrower than this is a click, not a selection. */
export const MIN_DRAG_PX = 4;

/** The time under pixel `x` (clamped to the plot). */
export function timeAt(f: PlotFrame, x: number): number {
  const clamped = Math.min(Math.max(x, f.left), f.right);
  return f.start + ((clamped - f.left) / Math.max(1e-9, f.right - f.left)) * (f.end - f.start);
}

/** The ordered time range between two pixels of a drag, clamped to the plot; null for a click. */
export function dragRange(f: PlotFrame, x1: number, x2: number): [number, number] | null {
  const a = timeAt(f, Math.min(x1, x2));
  const b = timeAt(f, Math.max(x1, x2));
  if (Math.abs(x2 - x1) < MIN_DRAG_PX || b <= a) return null;
  return [a, b];
}
