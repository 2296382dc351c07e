import { describe, expect, it } from 'vitest';
import { alertWindow, metricOfAlert } from '../../../shared/triage';
import { triageHash, triageRouteOf } from './triageModel';

describe('triage route', () => {
  it('round-trips a window and a metric through the hash', () => {
    expect(triageRouteOf(triageHash(1000, 5000, 'failure-rate'))).toEqual({ from: 1000, to: 5000, metric: 'failure-rate' });
  });
  it('ignores what it does not understand', () => {
    expect(triageRouteOf('#/triage?from=abc&metric=speed')).toEqual({ from: null, to: null, metric: 'approval-rate' });
    expect(triageRouteOf('#/triage')).toEqual({ from: null, to: null, metric: 'approval-rate' });
  });
  it('explains an alert from when it became active to its resolution (or now), at least a minute', () => {
    expect(alertWindow({ activeSince: 60_000, firedAt: 120_000, resolvedAt: 600_000 }, 900_000)).toEqual({ from: 60_000, to: 600_000 });
    expect(alertWindow({ activeSince: 500_000, firedAt: null, resolvedAt: null }, 530_000)).toEqual({ from: 500_000, to: 560_000 });
    expect(metricOfAlert({ rule: 'acquirer-down' })).toBe('failure-rate');
    expect(metricOfAlert({ rule: 'issuer-down' })).toBe('approval-rate');
  });
});
