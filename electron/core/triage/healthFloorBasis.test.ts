// The volume floor counts what approval is judged on: payments where the board judges per
// payment. A merchant retrying hard reaches the floor on attempts with a handful of payments,
// and its per-payment approval on those few would be judged as if it had twenty.
import { describe, expect, it } from 'vitest';
import type { SegmentRow } from '../store/segmentRow';
import { HEALTH_VOLUME_FLOOR, computeHealthBoard } from './health';
import { segmentRow } from '../../../test/support/segmentRowKit';

const row = (value: string, attempts: number, approvals: number, payments: number | null): SegmentRow =>
  segmentRow('merchantId', value, attempts, approvals, { payments });
const judge = (w: SegmentRow, b: SegmentRow) => computeHealthBoard({ fromMs: 0, toMs: 300_000, window: [w], baseline: [b] }).segments[0];

describe('health board volume floor', () => {
  it('per payment, a segment under the floor in payments is not judged, however many attempts it has', () => {
    // 6 payments retried into 60 attempts, 1 approved; its baseline 600 payments, 95 % approved.
    const s = judge(row('m-retries', 60, 1, 6), row('m-retries', 700, 570, 600));
    expect(s.basis).toBe('per payment');
    expect(s.judged).toBe(false);
    expect(s.state).toBe('ok');
    expect(s.reason).toBe(`6 payments (60 attempts): below the volume floor of ${HEALTH_VOLUME_FLOOR} payments, not judged`);
  });

  it('per payment, a window of retries only (no payment started in it) is not judged per attempt instead', () => {
    const s = judge(row('m-retries', 60, 1, 0), row('m-retries', 700, 570, 600));
    expect(s).toMatchObject({ basis: 'per payment', judged: false, state: 'ok' });
    expect(s.reason).toBe(`0 payments (60 attempts): below the volume floor of ${HEALTH_VOLUME_FLOOR} payments, not judged`);
  });

  it('per payment, a baseline under the floor in payments teaches nothing', () => {
    const s = judge(row('m-retries', 200, 150, 180), row('m-retries', 100, 5, 10));
    expect(s.judged).toBe(false);
    expect(s.reason).toBe('10 payments (100 attempts) in its baseline: no baseline learned yet, not judged');
  });

  it('per payment at the floor it is judged; per attempt the floor still counts attempts', () => {
    const atFloor = judge(row('m', 25, 2, HEALTH_VOLUME_FLOOR), row('m', 700, 570, 600));
    expect(atFloor).toMatchObject({ basis: 'per payment', judged: true, state: 'down' });
    const perAttempt = judge(row('m', 60, 1, null), row('m', 700, 570, null));
    expect(perAttempt).toMatchObject({ basis: 'per attempt', judged: true, state: 'down' });
  });
});
