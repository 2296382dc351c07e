import { describe, expect, it } from 'vitest';
import { depthChart, throughputChart } from './chartData';
import type { TPoint } from './series';

describe('chart rows', () => {
  it('turns counts into events/s, fills gaps with zero rows and orders types', () => {
    const pts: TPoint[] = [
      { t: 100, span: 2, counts: { 'risk.scored': 4, 'payment.initiated': 2 } },
      { t: 102, span: 1, counts: { 'payment.initiated': 3 } },
      { t: 110, span: 1, counts: { 'payment.initiated': 1 } },
    ];
    const c = throughputChart(pts, 111, 900, 900);
    expect(c.types).toEqual(['payment.initiated', 'risk.scored']);
    expect(c.totals).toEqual({ 'payment.initiated': 6, 'risk.scored': 4 });
    expect(c.rows.map((r) => r.t)).toEqual([100, 102, 103, 109, 110]);
    expect(c.rows[0]).toEqual({ t: 100, 'payment.initiated': 1, 'risk.scored': 2 });
    expect(c.rows[2]).toEqual({ t: 103, 'payment.initiated': 0, 'risk.scored': 0 });
    expect(c.start).toBe(111 - 900);
  });

  it('draws an idle stretch up to now as zero', () => {
    const c = throughputChart([{ t: 100, span: 1, counts: { a: 1 } }], 200, 900, 900);
    expect(c.rows.map((r) => r.t)).toEqual([100, 101, 199]);
  });

  it('groups seconds into aligned buckets of at most maxRows rows, keeping rates', () => {
    const pts: TPoint[] = Array.from({ length: 8 }, (_, i) => ({ t: 30 + i, span: 1, counts: { a: 2 } }));
    const c = throughputChart(pts, 38, 9, 3);
    expect(c.rows.map((r) => r.t)).toEqual([30, 33, 36]);
    // the newest bucket holds 2 of its 3 seconds and is not under-read
    expect(c.rows.map((r) => r.a)).toEqual([2, 2, 2]);
    expect(c.totals.a).toBe(16);
    const many: TPoint[] = Array.from({ length: 900 }, (_, i) => ({ t: 9000 + i, span: 1, counts: { a: 1 } }));
    expect(throughputChart(many, 9900, 900).rows.length).toBeLessThanOrEqual(301);
  });

  it('depth rows carry one column per queue', () => {
    const c = depthChart(
      [
        { t: 1, span: 1, depths: { b: 1 } },
        { t: 2, span: 1, depths: { a: 2, b: 3 } },
      ],
      3,
      900,
    );
    expect(c.queues).toEqual(['a', 'b']);
    expect(c.rows).toEqual([
      { t: 1, a: null, b: 1 },
      { t: 2, a: 2, b: 3 },
    ]);
  });
});
