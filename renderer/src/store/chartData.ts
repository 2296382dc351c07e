// Turns bounded series into chart rows. Pure, so the charts can memoise on the series'
// identity and tests can check the numbers.
import { sortTypes } from '../lib/eventColors';
import type { DPoint, TPoint } from './series';

export type ChartRow = { t: number } & Record<string, number | null>;

export interface ThroughputChart {
  rows: ChartRow[];
  types: string[];
  /** Events per type in the window. */
  totals: Record<string, number>;
  start: number;
  end: number;
}

/** Chart rows are at most about this many per series: more cannot be seen and cost render time. */
export const CHART_MAX_ROWS = 300;

/**
 * Rows of events/s per type. Points are grouped into buckets of whole seconds aligned on
 * absolute time (so a bucket keeps its value as new seconds arrive), at most about
 * `maxRows` of them; zero rows mark stretches without any second, so a quiet gap drops to
 * zero instead of being bridged.
 */
export function throughputChart(points: readonly TPoint[], nowSec: number | null, windowSeconds: number, maxRows = CHART_MAX_ROWS): ThroughputChart {
  const last = points[points.length - 1];
  const end = nowSec ?? (last ? last.t + last.span : 0);
  const start = end - windowSeconds;
  const inWindow = points.filter((p) => p.t + p.span > start && p.t <= end);
  const totals: Record<string, number> = {};
  for (const p of inWindow) for (const k in p.counts) totals[k] = (totals[k] ?? 0) + p.counts[k];
  const types = sortTypes(Object.keys(totals).filter((k) => totals[k] > 0));
  const zero = (t: number): ChartRow => {
    const row: ChartRow = { t };
    for (const k of types) row[k] = 0;
    return row;
  };

  // Group into buckets [b0, b0 + size): each holds the counts and the time it covers.
  const size = Math.max(1, Math.ceil(windowSeconds / Math.max(1, maxRows)));
  const buckets: { t: number; from: number; to: number; counts: Record<string, number> }[] = [];
  for (const p of inWindow) {
    const b0 = Math.floor(p.t / size) * size;
    const lastBucket = buckets[buckets.length - 1];
    if (lastBucket && b0 < lastBucket.t + size && p.t >= lastBucket.t) {
      for (const k in p.counts) lastBucket.counts[k] = (lastBucket.counts[k] ?? 0) + p.counts[k];
      lastBucket.to = Math.max(lastBucket.to, p.t + p.span);
    } else {
      buckets.push({ t: p.span >= size ? p.t : b0, from: p.span >= size ? p.t : Math.max(b0, p.t), to: p.t + p.span, counts: { ...p.counts } });
    }
  }

  const rows: ChartRow[] = [];
  let prevEnd: number | null = null;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    // a bucket covers its whole width except where the series starts or ends inside it
    const bucketEnd = Math.max(b.to, b.t + size);
    const from = i === 0 ? b.from : b.t;
    const to = i === buckets.length - 1 ? b.to : bucketEnd;
    const seconds = Math.max(1, to - from);
    if (prevEnd !== null && b.t > prevEnd) {
      rows.push(zero(prevEnd));
      if (b.t - 1 > prevEnd) rows.push(zero(b.t - 1));
    }
    const row: ChartRow = { t: b.t };
    for (const k of types) row[k] = (b.counts[k] ?? 0) / seconds;
    rows.push(row);
    prevEnd = to;
  }
  // Idle since the last second held: draw the quiet stretch up to now as zero.
  if (prevEnd !== null && end - prevEnd >= 2) {
    rows.push(zero(prevEnd));
    rows.push(zero(end - 1));
  }
  return { rows, types, totals, start, end };
}

export interface DepthChart {
  rows: ChartRow[];
  queues: string[];
  start: number;
  end: number;
}

export function depthChart(points: readonly DPoint[], nowSec: number | null, windowSeconds: number): DepthChart {
  const last = points[points.length - 1];
  const end = nowSec ?? (last ? last.t + last.span : 0);
  const start = end - windowSeconds;
  const inWindow = points.filter((p) => p.t + p.span > start && p.t <= end);
  const names = new Set<string>();
  for (const p of inWindow) for (const k in p.depths) names.add(k);
  const queues = [...names].sort();
  const rows: ChartRow[] = inWindow.map((p) => {
    const row: ChartRow = { t: p.t };
    for (const q of queues) row[q] = p.depths[q] ?? null;
    return row;
  });
  return { rows, queues, start, end };
}
