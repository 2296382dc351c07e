import { describe, expect, it } from 'vitest';
import { dragRange, MIN_DRAG_PX, timeAt } from './plotDrag';
import type { PlotFrame } from './stackedArea';

// Plot from x=50 to x=250 over one hour in ms.
const HOUR = 3_600_000;
const frame: PlotFrame = { left: 50, right: 250, top: 0, bottom: 100, start: 10 * HOUR, end: 11 * HOUR, yMax: 1 };

describe('timeAt', () => {
  it('maps the plot edges to the range ends and a pixel between them in proportion', () => {
    expect(timeAt(frame, 50)).toBe(10 * HOUR);
    expect(timeAt(frame, 250)).toBe(11 * HOUR);
    expect(timeAt(frame, 100)).toBe(10.25 * HOUR);
  });

  it('clamps pixels in the margins to the range', () => {
    expect(timeAt(frame, 0)).toBe(10 * HOUR);
    expect(timeAt(frame, 400)).toBe(11 * HOUR);
  });
});

describe('dragRange', () => {
  it('is the ordered range between the two pixels, whichever way the drag went', () => {
    expect(dragRange(frame, 150, 100)).toEqual([10.25 * HOUR, 10.5 * HOUR]);
    expect(dragRange(frame, 100, 150)).toEqual([10.25 * HOUR, 10.5 * HOUR]);
  });

  it('clamps a drag that leaves the plot to its edge', () => {
    expect(dragRange(frame, 200, 600)).toEqual([10.75 * HOUR, 11 * HOUR]);
  });

  it('treats a drag narrower than the threshold, or wholly outside the plot, as a click', () => {
    expect(dragRange(frame, 100, 100 + MIN_DRAG_PX - 1)).toBeNull();
    expect(dragRange(frame, 300, 400)).toBeNull();
  });
});
