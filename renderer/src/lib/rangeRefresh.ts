import type { DashboardSeries } from '../../../shared/dashboardApi';

/**
 * True when `next` is a refresh of the range `shown` draws (the followed range moving on: the
 * same length, step and compare), false when it is a new range the operator asked for.
 * A refresh can be drawn panel by panel; a new range is drawn at once.
 */
export function isRefreshOf(next: DashboardSeries, shown: DashboardSeries): boolean {
  return next.toMs - next.fromMs === shown.toMs - shown.fromMs && next.stepMs === shown.stepMs && (next.compare?.with ?? null) === (shown.compare?.with ?? null);
}
