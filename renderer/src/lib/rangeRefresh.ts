import type { DashboardSeries } from '../../../shared/dashboardApi';

/**
 * True when `next` is a refresh of the range `shown` draws (the followed range moving on: the
 * same length, step and compare), false when it is a new range the operator asked for.
 * A refresh can be drawn panel by panel; a new range is drawn at once.
 */
export function isRefreshOf(next: DashboardSeries, shown: DashboardSeries): boolean {
  return next.toMs - next.fromMs === shown.toMs - shown.fromMs && next.stepMs === shown.stepMs && (next.compare?.with ?? null) === (shown.compare?.with ?? null);
}

/**
 * How often a fixed past range is looked at again (wall time). Late events (a backlog drained,
 * a producer's clock behind, a replay of older files) are stored into past minutes: a past
 * range asked once kept the figures it had before them.
 */
export const PAST_RANGE_REFRESH_MS = 15_000;

/** What a past range was last fetched for: the request, and the stored events then. */
export interface PastRangeFetch {
  request: string;
  storedEvents: number | null;
  lastEventAt: number | null;
}

/**
 * True when a fixed past range must be asked again: a new request, or the database's stored
 * events changed since it was fetched (new events, which may lie inside it, or retention's
 * deletions). Asked at most every PAST_RANGE_REFRESH_MS; nothing stored since: never again.
 */
export function pastRangeNeedsFetch(last: PastRangeFetch | null, next: PastRangeFetch): boolean {
  if (!last || last.request !== next.request) return true;
  return last.storedEvents !== next.storedEvents || last.lastEventAt !== next.lastEventAt;
}
