// The report's charts (HTML and PDF): a throughput of a few events per minute had its y axis read
// "0.02, 0.01, 0.01, 0.00, 0.00" (two decimals for steps of 0.005), the last time on the x axis was
// cut at the chart's edge ("12-31 12" of "12-31 12:00"), and no time on the axis said its zone
// (product rule: times named with their zone; the axis is UTC).
import { describe, expect, it } from 'vitest';
import { lineChart } from './svgCharts';

const ticks = (svg: string) => [...svg.matchAll(/<text [^>]*class="tick">([^<]*)<\/text>/g)].map((m) => m[1]);
const T0 = Date.UTC(2025, 11, 1);

describe('report chart axes', () => {
  it('labels every y tick apart, whatever the scale', () => {
    for (const max of [0.0004, 0.003, 0.02, 0.7, 3, 42, 1234, 2.5e6]) {
      const points = Array.from({ length: 50 }, (_, i) => ({ t: T0 + i * 60_000, values: { a: (max * (i % 7)) / 6 } }));
      const y = ticks(lineChart({ title: 'x', points })).slice(0, 5);
      expect(new Set(y).size, `${max}: ${y.join(' ')}`).toBe(5);
    }
  });

  it('names the zone of the x axis, its last time anchored inside the chart', () => {
    for (const span of [5 * 60_000, 6 * 3_600_000, 31 * 86_400_000]) {
      const points = Array.from({ length: 40 }, (_, i) => ({ t: T0 + (span * i) / 39, values: { a: i } }));
      const svg = lineChart({ title: 'x', points, width: 720 });
      const last = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" class="tick">([^<]*)<\/text>/g)].at(-1)!;
      expect(last[3], String(span)).toMatch(/ UTC$/);
      expect(last[2]).toBe('end');
      expect(Number(last[1])).toBeLessThanOrEqual(720);
    }
  });
});
