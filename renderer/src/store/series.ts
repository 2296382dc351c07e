// Bounded chart series. The engine sends each completed second once (a snapshot's
// `throughputTail` / `queueDepthTail`); the renderer keeps at most SERIES_MAX_POINTS per
// series by merging pairs of the oldest points, so totals survive and recent seconds
// keep full resolution.
import { SERIES_MAX_POINTS, type QueueDepthPoint, type ThroughputPoint } from '../../../shared/metrics';

/** Throughput over [t, t + span) seconds: event counts by type. */
export interface TPoint {
  t: number;
  span: number;
  counts: Record<string, number>;
}

/** Queue depth over [t, t + span) seconds: the peak depth per queue. */
export interface DPoint {
  t: number;
  span: number;
  depths: Record<string, number>;
}

export interface SeriesPoint {
  t: number;
  span: number;
}

export interface SeriesLimits {
  /** Never hold more points than this. */
  maxPoints: number;
  /** The newest points never merged when compacting. */
  keepRecent: number;
  /** Points wholly older than (newest time - windowSeconds) are dropped. */
  windowSeconds: number;
}

export const DEFAULT_WINDOW_SECONDS = 15 * 60;

export const DEFAULT_LIMITS: SeriesLimits = {
  maxPoints: SERIES_MAX_POINTS,
  keepRecent: Math.floor(SERIES_MAX_POINTS / 2),
  windowSeconds: DEFAULT_WINDOW_SECONDS,
};

export function mergeThroughput(a: TPoint, b: TPoint): TPoint {
  const counts: Record<string, number> = { ...a.counts };
  for (const k in b.counts) counts[k] = (counts[k] ?? 0) + b.counts[k];
  return { t: a.t, span: b.t + b.span - a.t, counts };
}

export function mergeDepth(a: DPoint, b: DPoint): DPoint {
  const depths: Record<string, number> = { ...a.depths };
  for (const k in b.depths) depths[k] = Math.max(depths[k] ?? -Infinity, b.depths[k]);
  return { t: a.t, span: b.t + b.span - a.t, depths };
}

/**
 * Merges adjacent pairs of the oldest points until at most `maxPoints` remain; the newest
 * `keepRecent` points are left as they are. Returns the same array when nothing changes.
 */
export function compact<P extends SeriesPoint>(points: P[], merge: (a: P, b: P) => P, limits: Pick<SeriesLimits, 'maxPoints' | 'keepRecent'>): P[] {
  const max = Math.max(2, limits.maxPoints);
  const keepRecent = Math.min(Math.max(0, limits.keepRecent), max - 1);
  let out = points;
  while (out.length > max) {
    const split = out.length - keepRecent;
    const older = out.slice(0, split);
    const merged: P[] = [];
    for (let i = 0; i < older.length; i += 2) {
      merged.push(i + 1 < older.length ? merge(older[i], older[i + 1]) : older[i]);
    }
    out = merged.concat(out.slice(split));
  }
  return out;
}

/** Drops points that end before `cutoff` (epoch seconds). Same array when nothing is dropped. */
export function trimBefore<P extends SeriesPoint>(points: P[], cutoff: number): P[] {
  let i = 0;
  while (i < points.length && points[i].t + points[i].span <= cutoff) i++;
  return i === 0 ? points : points.slice(i);
}

function lastEnd(points: SeriesPoint[]): number {
  const last = points[points.length - 1];
  return last ? last.t + last.span : -Infinity;
}

function bound<P extends SeriesPoint>(points: P[], merge: (a: P, b: P) => P, limits: SeriesLimits, now?: number): P[] {
  const newest = Math.max(lastEnd(points), now ?? -Infinity);
  const trimmed = Number.isFinite(newest) ? trimBefore(points, newest - limits.windowSeconds) : points;
  return compact(trimmed, merge, limits);
}

/**
 * Appends completed seconds. A second at or before the newest one already held is a
 * duplicate or out of order and is ignored. Returns the same array when nothing changes.
 */
function appendGeneric<P extends SeriesPoint, I extends { t: number }>(
  points: P[],
  tail: readonly I[],
  toPoint: (i: I) => P,
  merge: (a: P, b: P) => P,
  limits: SeriesLimits,
  now?: number,
): P[] {
  let end = lastEnd(points);
  let added: P[] | null = null;
  for (const item of tail) {
    if (!item || !Number.isFinite(item.t)) continue;
    const t = Math.floor(item.t);
    if (t < end) continue;
    (added ??= []).push(toPoint(item));
    end = t + 1;
  }
  const next = added ? points.concat(added) : points;
  const bounded = bound(next, merge, limits, now);
  return bounded;
}

function toTPoint(p: ThroughputPoint): TPoint {
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.counts ?? {})) if (typeof v === 'number' && v > 0) counts[k] = v;
  return { t: Math.floor(p.t), span: 1, counts };
}

function toDPoint(p: QueueDepthPoint): DPoint {
  const depths: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.depths ?? {})) if (typeof v === 'number' && Number.isFinite(v)) depths[k] = v;
  return { t: Math.floor(p.t), span: 1, depths };
}

export function appendThroughput(points: TPoint[], tail: readonly ThroughputPoint[], limits: SeriesLimits = DEFAULT_LIMITS, now?: number): TPoint[] {
  return appendGeneric(points, tail, toTPoint, mergeThroughput, limits, now);
}

export function appendDepth(points: DPoint[], tail: readonly QueueDepthPoint[], limits: SeriesLimits = DEFAULT_LIMITS, now?: number): DPoint[] {
  return appendGeneric(points, tail, toDPoint, mergeDepth, limits, now);
}

/**
 * Adds late counts (events stored after their second was sent) to the points that hold those
 * seconds. A second no point holds is left alone: it is older than the series, or the history
 * that fills it is read from the database, which has them. Same array when nothing changes.
 */
export function addLateThroughput(points: TPoint[], late: readonly ThroughputPoint[]): TPoint[] {
  let out: TPoint[] | null = null;
  for (const item of late) {
    if (!item || !Number.isFinite(item.t)) continue;
    const t = Math.floor(item.t);
    const i = holderOf(out ?? points, t);
    if (i < 0) continue;
    out ??= points.slice();
    out[i] = mergeThroughput(out[i], { ...toTPoint(item), t: out[i].t, span: out[i].span });
  }
  return out ?? points;
}

/** Index of the point whose span holds second `t` (points sorted and not overlapping), or -1. */
function holderOf(points: readonly SeriesPoint[], t: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t <= t) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && t < points[hi].t + points[hi].span ? hi : -1;
}

/**
 * Combines a history answer with what the live tails already delivered. A second that
 * both hold is taken from the tail (it was complete when sent; history may have caught
 * the newest second half-way).
 */
function fillGeneric<P extends SeriesPoint, I extends { t: number }>(
  points: P[],
  history: readonly I[],
  toPoint: (i: I) => P,
  merge: (a: P, b: P) => P,
  limits: SeriesLimits,
  now?: number,
): P[] {
  const covered = (t: number): boolean => holderOf(points, t) >= 0;
  const fromHistory: P[] = [];
  const seen = new Set<number>();
  for (const item of history) {
    if (!item || !Number.isFinite(item.t)) continue;
    const t = Math.floor(item.t);
    if (seen.has(t) || covered(t)) continue;
    seen.add(t);
    fromHistory.push(toPoint(item));
  }
  if (fromHistory.length === 0) return bound(points, merge, limits, now);
  const all = fromHistory.concat(points).sort((a, b) => a.t - b.t);
  return bound(all, merge, limits, now);
}

export function fillThroughput(points: TPoint[], history: readonly ThroughputPoint[], limits: SeriesLimits = DEFAULT_LIMITS, now?: number): TPoint[] {
  return fillGeneric(points, history, toTPoint, mergeThroughput, limits, now);
}

export function fillDepth(points: DPoint[], history: readonly QueueDepthPoint[], limits: SeriesLimits = DEFAULT_LIMITS, now?: number): DPoint[] {
  return fillGeneric(points, history, toDPoint, mergeDepth, limits, now);
}

export function totalCounts(points: readonly TPoint[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of points) for (const k in p.counts) out[k] = (out[k] ?? 0) + p.counts[k];
  return out;
}
