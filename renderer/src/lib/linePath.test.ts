import { describe, expect, it } from 'vitest';
import { bandPath, lineGapMs, linePath, pointsPath, seriesMax, zeroFilled } from './linePath';
import type { PlotFrame } from './stackedArea';

// 10 px per second, 1 px per unit, y grows downward from 100.
const frame: PlotFrame = { left: 0, right: 100, top: 0, bottom: 100, start: 0, end: 10, yMax: 100 };

describe('linePath', () => {
  it('draws one segment per run of values and breaks at a gap (null), never drawing it as 0', () => {
    const rows = [
      { t: 0, q: 10 },
      { t: 1, q: 20 },
      { t: 2, q: null },
      { t: 3, q: 40 },
      { t: 4, q: 0 },
    ];
    expect(linePath(rows, 'q', frame)).toBe('M0,90L10,80M30,60L40,100');
  });

  it('is empty for a key no row has', () => {
    expect(linePath([{ t: 0, q: 1 }], 'other', frame)).toBe('');
  });
});

describe('seriesMax', () => {
  it('is the largest value of the keys asked, ignoring gaps and other keys', () => {
    expect(seriesMax([{ t: 0, a: 3, b: null, c: 99 }, { t: 1, a: null, b: 7, c: 1 }], ['a', 'b'])).toBe(7);
    expect(seriesMax([], ['a'])).toBe(0);
  });
});

describe('pointsPath', () => {
  it('joins the points in order, across steps without data, and skips values that are not numbers', () => {
    expect(pointsPath([[0, 10], [1, 20], [4, 0], [5, Number.NaN]], frame)).toBe('M0,90L10,80L40,100');
    expect(pointsPath([], frame)).toBe('');
  });

  it('breaks a rate line where steps have no data (no attempts: no rate), not a straight line across an outage', () => {
    // steps of 1: a missing step at t=2, 3 is a gap; the line starts again at t=4
    expect(pointsPath([[0, 10], [1, 20], [4, 0], [5, 10]], frame, 1)).toBe('M0,90L10,80M40,100L50,90');
    expect(pointsPath([[0, 10], [1, 20], [2, 0]], frame, 1)).toBe('M0,90L10,80L20,100');
    // a point alone between gaps is still drawn (a dot: zero-length, round caps)
    expect(pointsPath([[0, 10], [3, 20], [6, 0], [7, 10]], frame, 1)).toBe('M0,90h0M30,80h0M60,100L70,90');
  });

  it('allows the spacing of a downsampled line without breaking it', () => {
    // 3000 one-minute steps drawn as at most 300 points: picks up to two buckets (2 x 11 steps) apart
    expect(lineGapMs(60_000, 0, 3000 * 60_000)).toBe(2 * 11 * 60_000);
    // not downsampled: one step
    expect(lineGapMs(60_000, 0, 60 * 60_000)).toBe(60_000);
  });

  it('draws a count at zero in the steps without events (volume, decisions), not joined across at the last value', () => {
    // steps of 10 over [0, 100): events in the steps at 20 and 60 only
    expect(zeroFilled([[20, 5], [60, 7]], 10, 10, 0, 100)).toEqual([[0, 0], [10, 0], [20, 5], [30, 0], [50, 0], [60, 7], [70, 0], [90, 0]]);
    // adjacent steps and a full window are left as they are
    expect(zeroFilled([[0, 1], [10, 2]], 10, 10, 0, 20)).toEqual([[0, 1], [10, 2]]);
    expect(zeroFilled([], 10, 10, 0, 100)).toEqual([]);
  });

  it('places the frame offset and scale on both axes', () => {
    const f: PlotFrame = { left: 50, right: 150, top: 10, bottom: 110, start: 1000, end: 2000, yMax: 1 };
    expect(pointsPath([[1000, 0], [1500, 0.5], [2000, 1]], f)).toBe('M50,110L100,60L150,10');
  });
});

describe('bandPath', () => {
  it('runs along the top left to right, back along the bottom, and closes', () => {
    const band = [
      { t: 0, low: 10, high: 30 },
      { t: 2, low: 20, high: 50 },
    ];
    expect(bandPath(band, frame)).toBe('M0,70L20,50L20,80L0,90Z');
    expect(bandPath([], frame)).toBe('');
  });
});
