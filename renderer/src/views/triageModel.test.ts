import { describe, expect, it } from 'vitest';
import { alertWindow, metricOfAlert } from '../../../shared/triage';
import type { Contributor, Explanation } from '../../../shared/triage';
import { filterOfExplorerHash } from './explorer/explorerModel';
import { contributorPaymentsHash, segmentPaymentsHash, triageHash, triageRouteOf } from './triageModel';

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

describe('from an explanation to its payments', () => {
  const contributor = (dimension: Contributor['dimension'], value: string, contribution: number, attempts: number): Contributor => ({
    dimension, value, effect: 'rate', contribution, rateEffect: contribution, mixEffect: 0, shareOfChange: 0.9, significant: true,
    window: { attempts, value: 0.1 }, baseline: { attempts, value: 0.9 }, topCodes: ['91'],
  });
  const window = { from: '2026-11-23T08:20:00.000Z', to: '2026-11-23T08:25:00.000Z', value: 0.8, attempts: 1000 };
  const e = {
    window, baseline: window,
    contributors: [contributor('issuer', 'tamarind-card', -0.1, 120), contributor('cardBin', '529412', -0.099, 118), contributor('merchantId', 'm_7', -0.01, 30)],
  } as Pick<Explanation, 'window' | 'baseline' | 'contributors'> as Explanation;

  it('an issuer row filters by the issuer and its twin BIN over the explained window', () => {
    expect(filterOfExplorerHash(contributorPaymentsHash(e, e.contributors[0])!)).toEqual({
      from: Date.parse(window.from), to: Date.parse(window.to), issuer: 'tamarind-card', cardBin: '529412',
    });
    expect(filterOfExplorerHash(contributorPaymentsHash(e, e.contributors[2])!)).toEqual({ from: Date.parse(window.from), to: Date.parse(window.to), merchantId: 'm_7' });
  });

  it('the folded tail has no link', () => {
    expect(segmentPaymentsHash(window, [{ dimension: 'issuer', value: '(other)' }])).toBeNull();
  });
});
