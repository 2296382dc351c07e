// The throughput chart's stacked areas as SVG path strings, computed once per redraw: one
// filled band and one top line per series, each band sitting on the one before it.
import type { ChartRow } from '../store/chartData';

export interface PlotFrame {
  /** Plot area in pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Time (seconds) at the left and right edges. */
  start: number;
  end: number;
  /** Value at the top edge. */
  yMax: number;
}

export interface StackedBand {
  key: string;
  /** The filled band: its top edge left to right, then its base right to left. */
  area: string;
  /** Its top edge alone (the band's outline). */
  line: string;
}

const round = (v: number) => Math.round(v * 10) / 10;

export function stackedAreaPaths(rows: readonly ChartRow[], keys: readonly string[], f: PlotFrame): StackedBand[] {
  const n = rows.length;
  if (n === 0) return keys.map((key) => ({ key, area: '', line: '' }));
  const xScale = (f.right - f.left) / Math.max(1e-9, f.end - f.start);
  const yScale = (f.bottom - f.top) / Math.max(1e-9, f.yMax);
  // Each coordinate turned into text once: a band's top is the next band's base.
  const xs = rows.map((r) => String(round(f.left + (r.t - f.start) * xScale)));
  const sum = new Float64Array(n);
  let base: string[] = new Array<string>(n).fill(String(f.bottom));
  const bands: StackedBand[] = [];
  for (const key of keys) {
    const top: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      sum[i] += rows[i][key] ?? 0;
      top[i] = String(round(f.bottom - sum[i] * yScale));
    }
    let line = `M${xs[0]},${top[0]}`;
    for (let i = 1; i < n; i++) line += `L${xs[i]},${top[i]}`;
    let back = '';
    for (let i = n - 1; i >= 0; i--) back += `L${xs[i]},${base[i]}`;
    bands.push({ key, area: `${line}${back}Z`, line });
    base = top;
  }
  return bands;
}

/** The largest stacked total of any row (the top of the stack). */
export function stackMax(rows: readonly ChartRow[], keys: readonly string[]): number {
  let max = 0;
  for (const r of rows) {
    let sum = 0;
    for (const k of keys) sum += r[k] ?? 0;
    if (sum > max) max = sum;
  }
  return max;
}

/** Index of the row whose time is nearest `t` (rows sorted by time), or -1 without rows. */
export function nearestRow(rows: readonly ChartRow[], t: number): number {
  if (rows.length === 0) return -1;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && t - rows[lo - 1].t <= rows[lo].t - t ? lo - 1 : lo;
}
