import { describe, expect, it } from 'vitest';
import type { DashboardSeries } from '../../../shared/dashboardApi';
import { isRefreshOf } from './rangeRefresh';

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
