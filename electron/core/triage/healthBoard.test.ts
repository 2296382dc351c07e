// The health board's edge cases: the folded tail '(other)', a segment with no baseline, one
// segment holding all traffic.
import { describe, expect, it } from 'vitest';
import { OTHER_VALUE } from '../../../shared/segments';
import type { SegmentRow } from '../store/segmentRow';
import { computeHealthBoard } from './health';
import { segmentRow } from '../../../test/support/segmentRowKit';

const row = (dim: SegmentRow['dim'], value: string, attempts: number, approvals: number, failures = 0): SegmentRow =>
  segmentRow(dim, value, attempts, approvals, { failures });
const board = (window: SegmentRow[], baseline: SegmentRow[]) => computeHealthBoard({ fromMs: 0, toMs: 60_000, window, baseline });

describe('health board', () => {
  it('does not call the folded tail "(other)" down when its traffic left it: values move in and out of it', () => {
    // In the baseline, 300 attempts of merchants past the 200 kept were folded into (other);
    // in the window those merchants earned names of their own, so (other) holds none.
    const baseline = [row('merchantId', 'm-1', 1000, 900), row('merchantId', OTHER_VALUE, 300, 270)];
    const window = [row('merchantId', 'm-1', 1000, 900), row('merchantId', 'm-new', 300, 270)];
    const other = board(window, baseline).segments.find((s) => s.value === OTHER_VALUE);
    expect(other?.state ?? 'ok').toBe('ok');
    // a tail whose traffic fell to a few attempts is not down either
    const few = board([...window.slice(0, 1), row('merchantId', 'm-new', 297, 267), row('merchantId', OTHER_VALUE, 3, 3)], baseline).segments.find((s) => s.value === OTHER_VALUE);
    expect(few?.state).toBe('ok');
  });

  it('still judges the tail’s approval against its own baseline (a card-testing run spread over many BINs)', () => {
    const baseline = [row('merchantId', 'm-1', 1000, 900), row('cardBin', OTHER_VALUE, 400, 360)];
    const window = [row('merchantId', 'm-1', 1000, 900), row('cardBin', OTHER_VALUE, 400, 40)];
    expect(board(window, baseline).segments.find((s) => s.value === OTHER_VALUE)?.state).toBe('down');
  });

  it('a named segment whose traffic vanished is down', () => {
    const baseline = [row('merchantId', 'm-1', 1000, 900), row('issuer', 'acme', 300, 270)];
    const window = [row('merchantId', 'm-1', 1000, 900)];
    expect(board(window, baseline).segments.find((s) => s.value === 'acme')?.state).toBe('down');
  });

  it('judges nothing without a baseline, and says so', () => {
    const segs = board([row('merchantId', 'm-1', 500, 100), row('issuer', 'acme', 500, 100)], []).segments;
    expect(segs.every((s) => s.state === 'ok' && !s.judged)).toBe(true);
    expect(segs[0].reason).toMatch(/no baseline learned yet/);
  });
});
