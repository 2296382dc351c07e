import { describe, expect, it } from 'vitest';
import { distinctTickLabel, timeTickLabel, timeTicks, valueTicks } from './rangeAxes';
import { fmtRate } from './format';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('timeTicks', () => {
  it('falls on round local times inside the range, evenly spaced', () => {
    const from = new Date(2026, 11, 3, 9, 7, 13).getTime();
    for (const [span, step] of [
      [15 * MIN, 5 * MIN],
      [HOUR, 15 * MIN],
      [6 * HOUR, HOUR],
      [24 * HOUR, 3 * HOUR],
    ] as const) {
      const ticks = timeTicks(from, from + span);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(12);
      for (const t of ticks) {
        expect(t).toBeGreaterThanOrEqual(from);
        expect(t).toBeLessThanOrEqual(from + span);
        expect(new Date(t).getSeconds()).toBe(0);
      }
      expect(ticks[1] - ticks[0]).toBe(step);
    }
  });

  it('puts seven days on local midnights, labelled with the date alone', () => {
    const from = new Date(2026, 10, 26, 13, 41).getTime();
    const to = from + 7 * 24 * HOUR;
    const ticks = timeTicks(from, to);
    expect(ticks.length).toBe(7);
    const label = timeTickLabel(from, to);
    for (const t of ticks) {
      expect([new Date(t).getHours(), new Date(t).getMinutes()]).toEqual([0, 0]);
      expect(label(t)).toMatch(/^\d{2}-\d{2}$/);
    }
    expect(label(new Date(2026, 10, 27, 12, 0).getTime())).toMatch(/^\d{2}-\d{2} 12:00$/);
  });

  it('labels a day or less with the time alone', () => {
    const from = new Date(2026, 11, 3, 0, 0).getTime();
    expect(timeTickLabel(from, from + 24 * HOUR)(from)).toBe('00:00');
  });

  it('is empty for an empty or reversed range', () => {
    expect(timeTicks(5, 5)).toEqual([]);
    expect(timeTicks(6, 5)).toEqual([]);
  });
});

describe('valueTicks', () => {
  it('starts at 0 and ends on a round value at or above the largest one', () => {
    for (const max of [0.37, 3, 17, 238, 9_999, 1_234_567]) {
      const ticks = valueTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(8);
      const step = ticks[1] - ticks[0];
      for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBeCloseTo(step, 9);
    }
    expect(valueTicks(17)).toEqual([0, 5, 10, 15, 20]);
  });

  it('gives a unit scale for no data, and stops at a fixed top', () => {
    expect(valueTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(valueTicks(Number.NaN)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(valueTicks(3, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('distinctTickLabel', () => {
  it('keeps the chart’s format when it tells every tick apart', () => {
    const ticks = valueTicks(120);
    expect(distinctTickLabel(ticks, fmtRate)).toBe(fmtRate);
  });
  it('gives tiny ticks the decimals their spacing needs (5 fils of KWD read 0, 0, 0, 0.01 before)', () => {
    const ticks = valueTicks(0.005);
    const label = distinctTickLabel(ticks, fmtRate);
    const labels = ticks.map(label);
    expect(new Set(labels).size).toBe(ticks.length);
    expect(labels).toEqual(['0', '0.001', '0.002', '0.003', '0.004', '0.005']);
  });
});
