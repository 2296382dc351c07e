import { describe, expect, it } from 'vitest';
import type { DashboardSeries } from '../../../shared/dashboardApi';
import { isRefreshOf, pastRangeNeedsFetch } from './rangeRefresh';

const MIN = 60_000;
function answer(fromMs: number, toMs: number, stepMs: number, compare: 'yesterday' | null = null): DashboardSeries {
  return { fromMs, toMs, stepMs, compare: compare ? { with: compare } : null } as unknown as DashboardSeries;
}

describe('isRefreshOf', () => {
  const shown = answer(0, 15 * MIN, MIN);
  it('the followed range a minute on is a refresh', () => {
    expect(isRefreshOf(answer(MIN, 16 * MIN, MIN), shown)).toBe(true);
    expect(isRefreshOf(answer(0, 15 * MIN, MIN), shown)).toBe(true);
  });
  it('another length, step or compare is a new range', () => {
    expect(isRefreshOf(answer(0, 60 * MIN, MIN), shown)).toBe(false);
    expect(isRefreshOf(answer(0, 15 * MIN, 2 * MIN), shown)).toBe(false);
    expect(isRefreshOf(answer(0, 15 * MIN, MIN, 'yesterday'), shown)).toBe(false);
    expect(isRefreshOf(shown, answer(0, 15 * MIN, MIN, 'yesterday'))).toBe(false);
  });
});

describe('pastRangeNeedsFetch', () => {
  const fetched = { request: '0-900000-none', storedEvents: 1200, lastEventAt: 5_000 };
  it('asks a new range, or the same one again once events were stored (late events may fall inside it)', () => {
    expect(pastRangeNeedsFetch(null, fetched)).toBe(true);
    expect(pastRangeNeedsFetch(fetched, { ...fetched, request: '0-900000-yesterday' })).toBe(true);
    expect(pastRangeNeedsFetch(fetched, { ...fetched, storedEvents: 1201, lastEventAt: 6_000 })).toBe(true);
    // retention deleted some: the figures changed too
    expect(pastRangeNeedsFetch(fetched, { ...fetched, storedEvents: 900 })).toBe(true);
  });
  it('does not ask again when nothing was stored since', () => {
    expect(pastRangeNeedsFetch(fetched, { ...fetched })).toBe(false);
  });
});
