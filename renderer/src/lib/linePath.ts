// A live chart's line as one SVG path string: a gap in the data (null) breaks the line, as
// recharts' connectNulls={false} did, so a queue that was not sampled shows as missing, not 0.
import { DASHBOARD_MAX_POINTS } from '../../../shared/dashboardApi';
import type { ChartRow } from '../store/chartData';
import type { PlotFrame } from './stackedArea';

const round = (v: number) => Math.round(v * 10) / 10;

export function linePath(rows: readonly ChartRow[], key: string, f: PlotFrame): string {
  const xScale = (f.right - f.left) / Math.max(1e-9, f.end - f.start);
  const yScale = (f.bottom - f.top) / Math.max(1e-9, f.yMax);
  let d = '';
  let pen = false;
  for (const r of rows) {
    const v = r[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${round(f.left + (r.t - f.start) * xScale)},${round(f.bottom - v * yScale)}`;
    pen = true;
  }
  return d;
}

/** The largest number under `keys` in any row (0 without any). */
export function seriesMax(rows: readonly ChartRow[], keys: readonly string[]): number {
  let max = 0;
  for (const r of rows) for (const k of keys) {
    const v = r[k];
    if (typeof v === 'number' && v > max) max = v;
  }
  return max;
}

/**
 * The widest spacing of a range chart's points that is still one line: a step (`stepMs`), or,
 * for a line the host downsampled to DASHBOARD_MAX_POINTS (LTTB picks one point per bucket),
 * two buckets. Points further apart have steps without data between them.
 */
export function lineGapMs(stepMs: number, fromMs: number, toMs: number): number {
  const steps = Math.ceil((toMs - fromMs) / stepMs);
  if (steps <= DASHBOARD_MAX_POINTS) return stepMs;
  return 2 * Math.ceil((steps - 2) / (DASHBOARD_MAX_POINTS - 2)) * stepMs;
}

/**
 * A count per step (money, decisions) with the steps that had no events at zero: the host
 * sends only steps with events, and a line joined across a quiet half hour drew it at the
 * last busy step's value. Between two points further apart than `gapMs` (lineGapMs) and at the
 * window's edges, a zero is put one step inside each side of the empty run.
 */
export function zeroFilled(points: readonly (readonly [number, number])[], gapMs: number, stepMs: number, fromMs: number, toMs: number): [number, number][] {
  if (points.length === 0) return [];
  const out: [number, number][] = [];
  const zero = (t: number) => {
    if (out.length === 0 || out[out.length - 1][0] < t) out.push([t, 0]);
  };
  const firstStep = Math.floor(fromMs / stepMs) * stepMs;
  if (points[0][0] - firstStep >= stepMs) {
    zero(firstStep);
    zero(points[0][0] - stepMs);
  }
  points.forEach(([t, v], i) => {
    if (i > 0 && t - points[i - 1][0] > gapMs) {
      zero(points[i - 1][0] + stepMs);
      zero(t - stepMs);
    }
    out.push([t, v]);
  });
  const lastStep = Math.ceil(toMs / stepMs) * stepMs - stepMs;
  const last = points[points.length - 1][0];
  if (lastStep - last >= stepMs) {
    zero(last + stepMs);
    zero(lastStep);
  }
  return out;
}

/**
 * A line through [t, v] points in order. Points more than `maxGapMs` apart are not joined: a
 * rate has no value in a step without attempts, and a line drawn straight across an outage
 * reads as calm traffic (Grafana's "connect null values: never").
 */
export function pointsPath(points: readonly (readonly [number, number])[], f: PlotFrame, maxGapMs = Infinity): string {
  const xScale = (f.right - f.left) / Math.max(1e-9, f.end - f.start);
  const yScale = (f.bottom - f.top) / Math.max(1e-9, f.yMax);
  let d = '';
  let lastT = -Infinity;
  // A point with no neighbour in reach is drawn as a dot (a zero-length segment, round caps):
  // sparse traffic must still show its rates.
  let alone = false;
  for (const [t, v] of points) {
    if (!Number.isFinite(v)) continue;
    const joined = d !== '' && t - lastT <= maxGapMs;
    if (!joined && alone) d += 'h0';
    d += `${joined ? 'L' : 'M'}${round(f.left + (t - f.start) * xScale)},${round(f.bottom - v * yScale)}`;
    alone = !joined && Number.isFinite(maxGapMs);
    lastT = t;
  }
  return alone ? `${d}h0` : d;
}

/** A filled band between `low` and `high`: its top edge left to right, then its bottom edge back. */
export function bandPath(band: readonly { t: number; low: number; high: number }[], f: PlotFrame): string {
  if (band.length === 0) return '';
  const top = pointsPath(band.map((b) => [b.t, b.high] as const), f);
  const bottom = pointsPath(band.map((b) => [b.t, b.low] as const).reverse(), f);
  return `${top}L${bottom.slice(1)}Z`;
}
