import type { QueueDepthPoint, ThroughputPoint } from '../../../shared/metrics';
import { SERIES_MAX_POINTS } from '../../../shared/metrics';
import type { ReadStore } from '../store/store';

/**
 * Throughput by type and queue depth for the last `minutes` before `clockMs`, read from the
 * per-second rollups (never raw events) and merged into at most SERIES_MAX_POINTS points.
 */
export function readMetricsHistory(
  store: ReadStore,
  clockMs: number,
  minutes: number,
): { throughput: ThroughputPoint[]; queueDepth: QueueDepthPoint[] } {
  const toSec = Math.floor(clockMs / 1000);
  const fromSec = toSec - minutes * 60;
  const step = Math.max(1, Math.ceil((toSec - fromSec) / SERIES_MAX_POINTS));
  const rows = store.rollups.typeCountsBySteps(step, fromSec, toSec);
  // Every step, an empty one too: the renderer adds an event stored later (a producer's lag)
  // only to a second it holds, and one this answer left out stayed without it.
  const byT = new Map<number, ThroughputPoint>();
  for (let t = Math.floor(fromSec / step) * step; t < toSec; t += step) byT.set(t, { t, counts: {} });
  for (const r of rows) {
    let p = byT.get(r.t);
    if (!p) {
      p = { t: r.t, counts: {} };
      byT.set(r.t, p);
    }
    (p.counts as Record<string, number>)[r.key] = r.n / step;
  }
  const depthRows = store.queueSamples.deepestBySteps(step, fromSec, toSec);
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
