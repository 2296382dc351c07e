// A contributor's own rate on a handful of attempts. Explain tested a segment's rate with the
// two-proportion z at any count past its volume floor (20): a merchant with 3 failures in its 20
// window attempts against 1 in its 250 baseline attempts read z 5.2 and was reported as a
// significant contributor to a rise of failures it had no part in, though chance gives that
// split once in 700 (Fisher's exact test, z 3.0, under the bar of 4). Where a cell's expected
// count is small the segment's test is now Fisher's exact test (stats.ts proportionZ).
import { describe, expect, it } from 'vitest';
import { segmentRow } from '../../../test/support/segmentRowKit';
import { computeExplanation } from './explain';
import { fisherZ, proportionZ, twoProportionZ, Z_SEGMENT } from './stats';

const MIN = 60_000;
const FROM = Date.UTC(2026, 10, 23, 9, 0, 0);

/**
 * Failures rise from 1 % to 3.6 % across three big merchants (each a third of the traffic); a
 * small merchant m_small has `small` failures of 20 in the window against 1 of its 250 baseline
 * attempts.
 */
function explainWith(small: number) {
  const row = (m: string, n: number, failures: number) => segmentRow('merchantId', m, n, n - failures, { failures });
  const window = [...['m_1', 'm_2', 'm_3'].map((m) => row(m, 260, 9)), row('m_small', 20, small)];
  const baseline = [...['m_1', 'm_2', 'm_3'].map((m) => row(m, 2600, 26)), row('m_small', 250, 1)];
  return computeExplanation({ metric: 'failure-rate', fromMs: FROM, toMs: FROM + 15 * MIN, baselineFromMs: FROM - 60 * MIN, baselineToMs: FROM, window, baseline, baselineSlices: [], windowCodes: [], baselineCodes: [] });
}

describe('explain: a contributor on a handful of attempts', () => {
  it('3 failures of 20 against 1 of 250 is not significant (exact chance 1 in 700); the whole\'s rise is', () => {
    // The normal approximation claims it, the exact test does not.
    expect(twoProportionZ(3, 20, 1, 250)).toBeGreaterThan(Z_SEGMENT);
    expect(fisherZ(3, 20, 1, 250)).toBeLessThan(3.1);
    expect(proportionZ(3, 20, 1, 250)).toBe(fisherZ(3, 20, 1, 250));
    const e = explainWith(3);
    expect(e.significant).toBe(true);
    const small = e.contributors.find((c) => c.value === 'm_small');
    expect(small).toMatchObject({ window: { attempts: 20, value: 3 / 20 }, baseline: { attempts: 250, value: 1 / 250 } });
    expect(small!.significant).toBe(false);
    expect(e.contributors.filter((c) => c.significant).map((c) => c.value)).not.toContain('m_small');
  });

  it('8 failures of 20 against 1 of 250 is significant still (exact z past 4)', () => {
    expect(fisherZ(8, 20, 1, 250)).toBeGreaterThan(Z_SEGMENT);
    const e = explainWith(8);
    expect(e.contributors.find((c) => c.value === 'm_small')).toMatchObject({ significant: true, effect: 'rate' });
  });

  it('at large counts the segment test is the two-proportion z (the exact test only where counts are small)', () => {
    expect(proportionZ(90, 1000, 50, 1000)).toBe(twoProportionZ(90, 1000, 50, 1000));
    expect(proportionZ(3, 20, 1, 250)).not.toBe(twoProportionZ(3, 20, 1, 250));
  });
});
