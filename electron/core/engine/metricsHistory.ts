import type { Database } from 'better-sqlite3';
import type { QueueDepthPoint, ThroughputPoint } from '../../../shared/metrics';
import { SERIES_MAX_POINTS } from '../../../shared/metrics';

/**
 * Throughput by type and queue depth for the last `minutes` before `clockMs`, read from the
 * per-second rollups (never raw events) and merged into at most SERIES_MAX_POINTS points.
 */
export function readMetricsHistory(
  db: Database,
  clockMs: number,
  minutes: number,
): { throughput: ThroughputPoint[]; queueDepth: QueueDepthPoint[] } {
  const toSec = Math.floor(clockMs / 1000);
  const fromSec = toSec - minutes * 60;
  const step = Math.max(1, Math.ceil((toSec - fromSec) / SERIES_MAX_POINTS));
  const rows = db
    .prepare(
      `SELECT (sec / ?) * ? AS t, key, SUM(count) AS n FROM rollup_second
       WHERE dim = 'type' AND sec >= ? AND sec < ? GROUP BY t, key ORDER BY t`,
    )
    .all(step, step, fromSec, toSec) as { t: number; key: string; n: number }[];
  const byT = new Map<number, ThroughputPoint>();
  for (const r of rows) {
    let p = byT.get(r.t);
    if (!p) {
      p = { t: r.t, counts: {} };
      byT.set(r.t, p);
    }
    (p.counts as Record<string, number>)[r.key] = r.n / step;
  }
  const depthRows = db
    .prepare(
      `SELECT (at_ms / 1000 / ?) * ? AS t, queue, MAX(messages) AS m FROM queue_depth
       WHERE at_ms >= ? AND at_ms < ? AND messages IS NOT NULL GROUP BY t, queue ORDER BY t`,
    )
    .all(step, step, fromSec * 1000, toSec * 1000) as { t: number; queue: string; m: number }[];
  const depthByT = new Map<number, QueueDepthPoint>();
  for (const r of depthRows) {
    let p = depthByT.get(r.t);
    if (!p) {
      p = { t: r.t, depths: {} };
      depthByT.set(r.t, p);
    }
    p.depths[r.queue] = r.m;
  }
  return { throughput: [...byT.values()], queueDepth: [...depthByT.values()] };
}
