// A busy segment's exact test. Fisher's test sums the tail of a hypergeometric from the observed
// count outward: for a fall, as many terms as the smaller of the window's approvals and the
// baseline's payments not approved. A day's window of 300,000 approvals against four days holding
// 300,000 declines (3.5 attempts a second at 8 % declined) spread them all into Math.max at once,
// and explain and the health board died with "RangeError: Maximum call stack size exceeded" on
// any dip. The rows are the rollups' (a database with 600,000 events for it would take a minute
// to write); the store's own path is triageSql.test.ts.
import { describe, expect, it } from 'vitest';
import { segmentRow } from '../../../test/support/segmentRowKit';
import { computeExplanation } from './explain';
import { computeHealthBoard } from './health';
import { fisherZ } from './stats';

const DAY = 86_400_000;
const T = Date.UTC(2026, 10, 20);
const window = [segmentRow('merchantId', 'm_1', 330_000, 300_000), segmentRow('method', 'card', 330_000, 300_000)];
const baseline = [segmentRow('merchantId', 'm_1', 3_600_000, 3_300_000), segmentRow('method', 'card', 3_600_000, 3_300_000)];

describe('a busy segment whose approval dipped', () => {
  it('Fisher\'s test gives its z, not a stack overflow', () => {
    expect(fisherZ(900_000, 1_000_000, 3_700_000, 4_000_000)).toBeLessThan(-50);
    expect(fisherZ(9_300_000, 10_000_000, 9_200_000, 10_000_000)).toBeGreaterThan(50);
    // Where the tail is short the sum is the whole tail: 0 of 2 against 52 of 54 is 1 in 257.
    expect(fisherZ(0, 2, 52, 54)).toBeCloseTo(-2.661, 3);
    expect(fisherZ(52, 54, 0, 2)).toBeCloseTo(2.661, 3);
  });

  it('explain of a day against the four before it answers', () => {
    const e = computeExplanation({ metric: 'approval-rate', fromMs: T, toMs: T + DAY, baselineFromMs: T - 4 * DAY, baselineToMs: T, window, baseline, baselineSlices: [], windowCodes: [], baselineCodes: [] });
    expect(e.window).toMatchObject({ attempts: 330_000 });
    expect(e.window.value).toBeCloseTo(300_000 / 330_000, 12);
    expect(e.headline).toMatch(/^approval 90\.9 % vs 91\.7 % \(per attempt\): /);
  });

  it('the health board judges it', () => {
    const board = computeHealthBoard({ fromMs: T, toMs: T + DAY, window, baseline });
    expect(board.segments.find((s) => s.dimension === 'method')).toMatchObject({ value: 'card', judged: true });
  });
});
