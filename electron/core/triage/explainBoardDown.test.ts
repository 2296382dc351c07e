// Where the health board says "down", explain says so too: the same rollup rows through both.
// A segment whose traffic stopped (the board's "no attempts") has no rate left to compare and,
// at the whole's rate, no contribution either; a segment holding most of the traffic is left
// out of explain's contributors as "the whole", but when the board marks it down it is a place.
import { describe, expect, it } from 'vitest';
import type { TriageMetric } from '../../../shared/triage';
import type { SegmentRow } from '../store/segmentRow';
import { segmentRow } from '../../../test/support/segmentRowKit';
import { computeExplanation } from './explain';
import { computeHealthBoard } from './health';

const MIN = 60_000;
const FROM = Date.UTC(2026, 10, 23, 9, 0, 0);
const TO = FROM + 15 * MIN;

function explain(window: SegmentRow[], baseline: SegmentRow[], metric: TriageMetric = 'approval-rate') {
  return computeExplanation({ metric, fromMs: FROM, toMs: TO, baselineFromMs: FROM - 60 * MIN, baselineToMs: FROM, window, baseline, baselineSlices: [], windowCodes: [], baselineCodes: [] });
}
const board = (window: SegmentRow[], baseline: SegmentRow[]) => computeHealthBoard({ fromMs: FROM, toMs: TO, window, baseline });
const down = (rows: ReturnType<typeof board>) => rows.segments.filter((s) => s.state === 'down').map((s) => `${s.dimension}=${s.value}`);

/** Four merchants at 90 % approval: 400 attempts each in the baseline, 100 in the window. */
const merchants = (perMerchant: number) => ['m_1', 'm_2', 'm_3', 'm_4'].map((m) => segmentRow('merchantId', m, perMerchant, perMerchant * 0.9));

describe('explain reports what the health board marks down', () => {
  // acq-c carried 200 of 1 600 baseline attempts (about 50 expected in the window) and none now;
  // every rate stays at 90 %: the whole did not move, and acq-c at the whole's rate moved no mix.
  const baseline = [...merchants(400), segmentRow('acquirer', 'acq-a', 700, 630), segmentRow('acquirer', 'acq-b', 700, 630), segmentRow('acquirer', 'acq-c', 200, 180)];
  const window = [...merchants(100), segmentRow('acquirer', 'acq-a', 200, 180), segmentRow('acquirer', 'acq-b', 200, 180)];

  it('an acquirer whose traffic stopped: the board says down, explain names it by its share of traffic and says its traffic stopped', () => {
    expect(down(board(window, baseline))).toEqual(['acquirer=acq-c']);
    for (const metric of ['approval-rate', 'decline-rate', 'failure-rate'] as const) {
      const e = explain(window, baseline, metric);
      expect(e.significant, metric).toBe(false);
      const found = e.contributors.filter((c) => c.significant);
      expect(found.map((c) => `${c.dimension}=${c.value}`), metric).toEqual(['acquirer=acq-c']);
      expect(found[0], metric).toMatchObject({ effect: 'mix', window: { attempts: 0, value: null }, baseline: { attempts: 200 } });
      expect(e.headline, metric).toMatch(/not significant overall, but acquirer acq-c traffic stopped: 0 attempts in the window, about 50 expected/);
    }
  });

  it('an acquirer whose traffic stopped is listed among many segments that each moved a little (not cut off by the list\'s length)', () => {
    // 40 merchants a point or two either side of 90 %, each a small contribution; acq-c's is none.
    const ids = Array.from({ length: 40 }, (_, i) => `m_${i}`);
    const base = [...ids.map((m) => segmentRow('merchantId', m, 100, 90)), segmentRow('acquirer', 'acq-a', 3000, 2700), segmentRow('acquirer', 'acq-c', 1000, 900)];
    const win = [...ids.map((m, i) => segmentRow('merchantId', m, 25, i % 2 === 0 ? 22 : 23)), segmentRow('acquirer', 'acq-a', 1000, 900)];
    expect(down(board(win, base))).toEqual(['acquirer=acq-c']);
    const e = explain(win, base);
    expect(e.contributors.length).toBeGreaterThan(25);
    expect(e.contributors.filter((c) => c.significant).map((c) => `${c.dimension}=${c.value}`)).toEqual(['acquirer=acq-c']);
    expect(e.headline).toMatch(/acquirer acq-c traffic stopped: 0 attempts in the window, about 250 expected/);
  });

  it('traffic that fell everywhere together (a quiet hour) singles nobody out, on the board or in explain', () => {
    const quiet = [...merchants(10), segmentRow('acquirer', 'acq-a', 20, 18), segmentRow('acquirer', 'acq-b', 20, 18)];
    expect(down(board(quiet, baseline))).toEqual([]);
    expect(explain(quiet, baseline).contributors.filter((c) => c.significant)).toEqual([]);
  });

  it('a segment holding most of the traffic that the board marks down is a contributor, significant, first', () => {
    // method card: 1 200 of 1 600 baseline attempts at 90 %, 10 % in the window; wallet holds.
    const base = [...merchants(400), segmentRow('method', 'card', 1200, 1080), segmentRow('method', 'wallet', 400, 360)];
    const win = [segmentRow('merchantId', 'm_1', 100, 30), segmentRow('merchantId', 'm_2', 100, 30), segmentRow('merchantId', 'm_3', 100, 30), segmentRow('merchantId', 'm_4', 100, 30), segmentRow('method', 'card', 300, 30), segmentRow('method', 'wallet', 100, 90)];
    expect(down(board(win, base))).toContain('method=card');
    const e = explain(win, base);
    expect(e.significant).toBe(true);
    const card = e.contributors.find((c) => c.dimension === 'method' && c.value === 'card');
    expect(card).toMatchObject({ effect: 'rate', significant: true, window: { attempts: 300, value: 0.1 }, baseline: { attempts: 1200, value: 0.9 } });
    expect(e.contributors[0]).toBe(card);
    expect(e.headline).toMatch(/: method card approval 10\.0 % vs 90\.0 %/);
  });

  it('a segment holding most of the traffic that the board marks degraded is reported as the board reports it', () => {
    // card falls 90 % -> 78 % while wallet holds at 90 %: degraded on the board (not down), and
    // explain lists it with the board's state and reason instead of leaving it out as "the whole".
    const base = [...merchants(400), segmentRow('method', 'card', 1200, 1080), segmentRow('method', 'wallet', 400, 360)];
    const win = [...['m_1', 'm_2', 'm_3', 'm_4'].map((m) => segmentRow('merchantId', m, 100, 81)), segmentRow('method', 'card', 300, 234), segmentRow('method', 'wallet', 100, 90)];
    const flagged = board(win, base).segments.filter((s) => s.state !== 'ok');
    expect(flagged.map((s) => `${s.dimension}=${s.value} ${s.state}`)).toEqual(['method=card degraded']);
    const e = explain(win, base);
    const card = e.contributors.find((c) => c.dimension === 'method' && c.value === 'card');
    expect(card).toMatchObject({ significant: true, effect: 'rate', health: { state: 'degraded', reason: flagged[0].reason } });
    expect(e.contributors.filter((c) => c.significant)).toEqual([card]);
  });

  it('a segment holding most of the traffic that moved less than the board\'s points stays out', () => {
    // card falls 90 % -> 84 %: not degraded (under 10 points), the whole falling.
    const base = [...merchants(400), segmentRow('method', 'card', 1200, 1080), segmentRow('method', 'wallet', 400, 360)];
    const win = [...['m_1', 'm_2', 'm_3', 'm_4'].map((m) => segmentRow('merchantId', m, 100, 85)), segmentRow('method', 'card', 300, 252), segmentRow('method', 'wallet', 100, 88)];
    expect(board(win, base).segments.filter((s) => s.state !== 'ok')).toEqual([]);
    expect(explain(win, base).contributors.find((c) => c.dimension === 'method' && c.value === 'card')).toBeUndefined();
  });
});
