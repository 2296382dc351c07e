import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shiftShare } from './shiftShare';

describe('shift-share (Kitagawa) decomposition', () => {
  it('rate and mix effects over all segments add up to the overall change exactly', () => {
    const segment = fc.record({ x1: fc.nat(500), extra1: fc.nat(500), x0: fc.nat(500), extra0: fc.nat(500) });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 12 }), (segs) => {
        const sides = segs.map((s) => ({ x1: s.x1, n1: s.x1 + s.extra1, x0: s.x0, n0: s.x0 + s.extra0 }));
        const n1 = sides.reduce((a, s) => a + s.n1, 0);
        const n0 = sides.reduce((a, s) => a + s.n0, 0);
        fc.pre(n1 > 0 && n0 > 0);
        const r1 = sides.reduce((a, s) => a + s.x1, 0) / n1;
        const r0 = sides.reduce((a, s) => a + s.x0, 0) / n0;
        const sum = sides.map((s) => shiftShare(s, n1, n0, r1, r0)).reduce((a, p) => a + p.rate + p.mix, 0);
        expect(sum).toBeCloseTo(r1 - r0, 9);
      }),
      { numRuns: 2000 },
    );
  });

  it('a segment whose share alone moved has no rate effect; one whose rate alone moved has no mix effect', () => {
    // Two segments: A at 90 %, B at 50 %. B doubles its traffic, rates unchanged.
    const a = shiftShare({ x1: 90, n1: 100, x0: 90, n0: 100 }, 300, 200, (90 + 100) / 300, (90 + 50) / 200);
    const b = shiftShare({ x1: 100, n1: 200, x0: 50, n0: 100 }, 300, 200, (90 + 100) / 300, (90 + 50) / 200);
    expect(Math.abs(a.rate)).toBe(0);
    expect(Math.abs(b.rate)).toBe(0);
    expect(b.mix).toBeLessThan(0);
    const c = shiftShare({ x1: 10, n1: 100, x0: 90, n0: 100 }, 200, 200, 0.5, 0.9);
    expect(Math.abs(c.mix)).toBe(0);
    expect(c.rate).toBeCloseTo(-0.4, 12);
  });
});
