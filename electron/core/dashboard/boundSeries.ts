// Chart series stay bounded: a line of more than DASHBOARD_MAX_POINTS points is downsampled
// with LTTB (largest triangle three buckets, from the `downsample` library), which keeps the
// points that shape the line, so a one-minute decline spike in a 7-day range stays visible
// where averaging into buckets would flatten it.
import { LTTB } from 'downsample';
import { DASHBOARD_MAX_POINTS, type SeriesPoint } from '../../../shared/dashboardApi';

export function boundSeries(points: SeriesPoint[], maxPoints = DASHBOARD_MAX_POINTS): SeriesPoint[] {
  if (points.length <= maxPoints) return points;
  return Array.from(LTTB(points, maxPoints) as ArrayLike<SeriesPoint>, ([t, v]) => [Number(t), v] as SeriesPoint);
}
