import { describe, expect, it } from 'vitest';
import type { ChartRow } from '../store/chartData';
import { niceTicks, minuteTicks } from './chartAxes';
import { nearestRow, stackedAreaPaths, stackMax, type PlotFrame } from './stackedArea';

/** [x, y] pairs of a path made of M/L commands (and an optional Z). */
function coords(d: string): [number, number][] {
  return d
    .replace(/Z$/, '')
    .split(/[ML]/)
    .filter(Boolean)
    .map((p) => p.split(',').map(Number) as [number, number]);
}

const frame: PlotFrame = { left: 44, right: 1044, top: 8, bottom: 208, start: 100, end: 110, yMax: 200 };
// 1 px per 1 of value, 100 px per second
const rows: ChartRow[] = [
  { t: 100, a: 10, b: 20, c: 5 },
  { t: 101, a: 0, b: 40, c: 0 },
  { t: 105, a: 33.3, b: 0, c: 66.6 },
  { t: 110, a: 100, b: 50, c: 50 },
];
const keys = ['a', 'b', 'c'];

describe('stacked areas of the throughput chart', () => {
  const bands = stackedAreaPaths(rows, keys, frame);

  it('put the top of the stack at each row’s total of every series', () => {
    const top = coords(bands[bands.length - 1].line);
    expect(top.map(([x]) => x)).toEqual([44, 144, 544, 1044]);
    const totals = rows.map((r) => keys.reduce((s, k) => s + (r[k] ?? 0), 0));
    top.forEach(([, y], i) => expect(y).toBeCloseTo(208 - totals[i], 1));
  });

  it('draw each band from its own top down to the top of the band below it (the first down to zero)', () => {
    bands.forEach((band, i) => {
      const area = coords(band.area);
      const topEdge = area.slice(0, rows.length);
      const baseEdge = area.slice(rows.length).reverse();
      expect(topEdge).toEqual(coords(band.line));
      expect(baseEdge).toEqual(i === 0 ? topEdge.map(([x]) => [x, 208]) : coords(bands[i - 1].line));
    });
    // the first band is the first series alone
    coords(bands[0].line).forEach(([, y], i) => expect(y).toBeCloseTo(208 - (rows[i].a ?? 0), 1));
  });

  it('keep the order of the series, and draw nothing without rows', () => {
    expect(bands.map((b) => b.key)).toEqual(keys);
    expect(stackedAreaPaths([], keys, frame)).toEqual(keys.map((key) => ({ key, area: '', line: '' })));
  });

  it('scale the highest total and find the row nearest a time', () => {
    expect(stackMax(rows, keys)).toBeCloseTo(200);
    expect(nearestRow(rows, 99)).toBe(0);
    expect(nearestRow(rows, 102.9)).toBe(1);
    expect(nearestRow(rows, 103.1)).toBe(2);
    expect(nearestRow(rows, 200)).toBe(3);
    expect(nearestRow([], 5)).toBe(-1);
  });
});

describe('axis ticks of the live charts', () => {
  it('cover the highest value in whole, round steps from zero', () => {
    expect(niceTicks(9400)).toEqual([0, 2500, 5000, 7500, 10000]);
    expect(niceTicks(180)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('mark the clock every three minutes, on the minute', () => {
    expect(minuteTicks(1000, 1900)).toEqual([1080, 1260, 1440, 1620, 1800]);
  });
});
