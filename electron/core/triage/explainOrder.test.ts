// The order of contributors within one dimension: its values are disjoint, so the one that
// carries more of the change comes first, whatever its share of traffic. Figures from a day of
// PaySim-derived traffic (`payops explain` on bench:replay's database), where the score across
// dimensions had put "method transfer, 38 % of the drop" before "method cash_out, 59 %".
import { describe, expect, it } from 'vitest';
import type { SegmentRow } from '../store/segmentRollupRepository';
import { computeExplanation } from './explain';
import { segmentRow } from '../../../test/support/segmentRowKit';

const row = (dim: SegmentRow['dim'], value: string, attempts: number, approvals: number): SegmentRow => segmentRow(dim, value, attempts, approvals);

const period = (methods: [string, number, number][]): SegmentRow[] => {
  const attempts = methods.reduce((a, [, n]) => a + n, 0);
  const approvals = methods.reduce((a, [, , x]) => a + x, 0);
  return [row('merchantId', 'm_1', attempts, approvals), ...methods.map(([m, n, x]) => row('method', m, n, x))];
};

describe('explain: contributors of one dimension', () => {
  it('are listed by the size of their contribution', () => {
    const e = computeExplanation({
      metric: 'approval-rate',
      fromMs: Date.UTC(2026, 10, 20),
      toMs: Date.UTC(2026, 10, 21),
      baselineFromMs: Date.UTC(2026, 10, 16),
      baselineToMs: Date.UTC(2026, 10, 20),
      window: period([['transfer', 87, 36], ['cash_out', 203, 131], ['payment', 239, 228]]),
      baseline: period([['transfer', 1015, 754], ['cash_out', 3699, 3298], ['payment', 5356, 5062]]),
      baselineSlices: [],
      windowCodes: [],
      baselineCodes: [],
    });
    expect(e.significant).toBe(true);
    const methods = e.contributors.filter((c) => c.dimension === 'method');
    expect(methods.map((c) => c.value).slice(0, 2)).toEqual(['cash_out', 'transfer']);
    const sizes = methods.map((c) => Math.abs(c.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(e.headline).toMatch(/method cash_out approval 64\.5 % vs 89\.2 %, 5\d % of the drop/);
  });
});

describe('explain: a named value and a dimension\'s "(none)" that carry the same traffic', () => {
  it('the named value comes first: "(none)" only says the traffic lacks the field', () => {
    // Seen on simulated traffic with late events of a merchant whose events carry no acquirer:
    // "acquirer (none) approval 66.7 % vs -, 83 % of the drop" headed the explanation, tied with
    // merchant m_late on every figure and placed first by the order of the dimensions.
    const merchants = (n: number, x: number) => ['m_1', 'm_2', 'm_3', 'm_4'].map((m) => row('merchantId', m, n, x));
    const baseline = [...merchants(400, 360), row('acquirer', 'acq-a', 1600, 1440)];
    const window = [...merchants(100, 90), row('merchantId', 'm_late', 300, 100), row('acquirer', 'acq-a', 400, 360), row('acquirer', '(none)', 300, 100)];
    const e = computeExplanation({ metric: 'approval-rate', fromMs: Date.UTC(2026, 10, 20, 9), toMs: Date.UTC(2026, 10, 20, 10), baselineFromMs: Date.UTC(2026, 10, 20, 5), baselineToMs: Date.UTC(2026, 10, 20, 9), window, baseline, baselineSlices: [], windowCodes: [], baselineCodes: [] });
    expect(e.significant).toBe(true);
    expect(e.contributors.slice(0, 2).map((c) => `${c.dimension}=${c.value}`)).toEqual(['merchantId=m_late', 'acquirer=(none)']);
    expect(e.headline).toMatch(/: merchant m_late approval 33\.3 % \(no attempts in the baseline\)/);
  });
});
