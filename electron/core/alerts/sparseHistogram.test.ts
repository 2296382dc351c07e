// A window's risk-score p95 is read from a dense histogram merged from per-second sparse ones:
// it must rank exactly as merging the sparse ones and sorting their bins did, reused or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DenseScoreHistogram, SparseHistogram, scoreBinning } from './sparseHistogram';

/** Per-second histograms of scores (any real number: binning clamps to 0-100). */
const seconds = fc.array(fc.array(fc.double({ min: -20, max: 130, noNaN: true }), { maxLength: 30 }), { maxLength: 12 });

function sparseSeconds(scores: number[][]): SparseHistogram[] {
  return scores.map((second) => {
    const h = new SparseHistogram();
    for (const s of second) h.add(scoreBinning.toBin(s));
    return h;
  });
}

describe('DenseScoreHistogram', () => {
  it('ranks as the merged sparse histogram does, at any quantile, cleared and reused', () => {
    const dense = new DenseScoreHistogram();
    fc.assert(
      fc.property(seconds, fc.double({ min: 0, max: 1, noNaN: true }), (scores, q) => {
        const parts = sparseSeconds(scores);
        const merged = new SparseHistogram();
        for (const p of parts) merged.merge(p);
        dense.clear();
        for (const p of parts) dense.merge(p);
        expect(dense.count).toBe(merged.count);
        for (const quantile of [q, 0.5, 0.95, 0.99, 1]) expect(dense.quantileBin(quantile)).toBe(merged.quantileBin(quantile));
      }),
      { numRuns: 300 },
    );
  });

  it('is empty after clear: no quantile', () => {
    const dense = new DenseScoreHistogram();
    const part = new SparseHistogram();
    part.add(scoreBinning.toBin(97));
    dense.merge(part);
    expect(dense.quantileBin(0.95)).toBe(97);
    dense.clear();
    expect(dense.count).toBe(0);
    expect(dense.quantileBin(0.95)).toBeNull();
  });
});
