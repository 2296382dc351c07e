// A health reason counts one payment or attempt as one: "1 payment (1 attempt)", not
// "1 payments (1 attempts)".
import { describe, expect, it } from 'vitest';
import type { SegmentRow } from '../store/segmentRow';
import { HEALTH_VOLUME_FLOOR, computeHealthBoard } from './health';
import { segmentRow } from '../../../test/support/segmentRowKit';

const row = (attempts: number, approvals: number, payments: number | null): SegmentRow => segmentRow('merchantId', 'm-one', attempts, approvals, { payments });
const judge = (w: SegmentRow, b: SegmentRow) => computeHealthBoard({ fromMs: 0, toMs: 300_000, window: [w], baseline: [b] }).segments[0];

describe('health reasons count one as one', () => {
  it('per payment: 1 payment (1 attempt)', () => {
    const s = judge(row(1, 1, 1), row(700, 570, 600));
    expect(s.basis).toBe('per payment');
    expect(s.reason).toBe(`1 payment (1 attempt): below the volume floor of ${HEALTH_VOLUME_FLOOR} payments, not judged`);
  });

  it('per attempt: 1 attempt', () => {
    const s = judge(row(1, 1, null), row(700, 570, null));
    expect(s.basis).toBe('per attempt');
    expect(s.reason).toBe(`1 attempt: below the volume floor of ${HEALTH_VOLUME_FLOOR} attempts, not judged`);
  });
});
