// payops explain's text names the health board's verdict on a contributor the board marks (the
// JSON's contributors[].health): before, the line gave its figures and not why it was reported,
// nor that the board says the same.
import { describe, expect, it } from 'vitest';
import { segmentRow } from '../../../test/support/segmentRowKit';
import { computeExplanation } from '../../core/triage/explain';
import { explanationText } from './explainCommand';

const MIN = 60_000;
const FROM = Date.UTC(2026, 10, 23, 9, 0, 0);

describe('payops explain text', () => {
  it('gives the board\'s state and reason under a contributor the board marks, and nothing under the others', () => {
    // method card falls 90 % -> 78 % (degraded on the board), wallet holds; merchants move with it.
    const merchants = (n: number, approvals: number) => ['m_1', 'm_2', 'm_3', 'm_4'].map((m) => segmentRow('merchantId', m, n, approvals));
    const baseline = [...merchants(400, 360), segmentRow('method', 'card', 1200, 1080), segmentRow('method', 'wallet', 400, 360)];
    const window = [...merchants(100, 81), segmentRow('method', 'card', 300, 234), segmentRow('method', 'wallet', 100, 90)];
    const e = computeExplanation({ metric: 'approval-rate', fromMs: FROM, toMs: FROM + 15 * MIN, baselineFromMs: FROM - 60 * MIN, baselineToMs: FROM, window, baseline, baselineSlices: [], windowCodes: [], baselineCodes: [] });
    const lines = explanationText(e).split('\n');
    const card = lines.findIndex((l) => l.startsWith('  method=card '));
    expect(card).toBeGreaterThan(0);
    expect(lines[card + 1]).toBe('    health board: degraded, approval per payment 78.0 % vs 90.0 % (own baseline), 300 payments (300 attempts)');
    expect(lines.filter((l) => l.startsWith('    health board:'))).toHaveLength(1);
  });
});
