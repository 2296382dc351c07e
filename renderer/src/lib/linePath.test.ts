import { describe, expect, it } from 'vitest';
import { linePath, seriesMax } from './linePath';
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
