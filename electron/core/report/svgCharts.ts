// Small inline SVG line charts for the report: no scripts, no external resources, readable
// in print. Every chart has a <title> and an aria-label so the PDF and screen readers name it.
import type { ReportSeriesPoint } from '../../../shared/explorer';
import { formatClock, formatFixed, formatHourMinute } from '../../../shared/format';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';

/**
 * Text for the report's HTML (and so its PDF): markup escaped, and characters that are not drawn
 * but act on what is (a bidi override that reverses the rest of a sentence, a zero-width space in
 * an id) written as \uXXXX, as the console and the CLI show them.
 */
export const escapeHtml = (s: string): string =>
  withFormatCharactersShown(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#9333ea'];

export interface ChartOptions {
  title: string;
  points: ReportSeriesPoint[];
  /** Series to draw (default: every key seen, largest first, at most 8; the rest summed as "other"). */
  keys?: string[];
  yFormat?: (v: number) => string;
  width?: number;
  height?: number;
  /** Fixed colours by key. */
  colors?: Record<string, string>;
  empty?: string;
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// Axis times in UTC, like the report's ISO window.
const hhmm = (t: number, spanMs: number) =>
  spanMs > 2 * 86_400_000 ? formatHourMinute(t, 'UTC', true) : spanMs < 600_000 ? formatClock(t, 'UTC') : formatHourMinute(t, 'UTC');

export const fmtNumber = (v: number): string =>
  Math.abs(v) >= 1e6 ? `${formatFixed(v / 1e6, 1)}M` : Math.abs(v) >= 1e4 ? `${formatFixed(v / 1e3, 0)}k` : Math.abs(v) >= 100 ? formatFixed(v, 0) : Math.abs(v) >= 10 ? formatFixed(v, 1) : formatFixed(v, 2);

export function lineChart(o: ChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 220;
  const pad = { l: 56, r: 12, t: 26, b: 40 };
  const fmt = o.yFormat ?? fmtNumber;
  const label = escapeHtml(o.title);
  const totals = new Map<string, number>();
  for (const p of o.points) for (const [k, v] of Object.entries(p.values)) totals.set(k, (totals.get(k) ?? 0) + v);
  let keys = o.keys ?? [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : 1));
  let points = o.points;
  if (!o.keys && keys.length > 8) {
    const kept = keys.slice(0, 7);
    const rest = new Set(keys.slice(7));
    points = o.points.map((p) => {
      const values: Record<string, number> = {};
      let other = 0;
      for (const [k, v] of Object.entries(p.values)) if (rest.has(k)) other += v;
      else values[k] = v;
      if (other) values.other = other;
      return { t: p.t, values };
    });
    keys = [...kept, 'other'];
  }
  // Legend layout (wrapped lines under the axis); the SVG grows by the extra lines.
  const legend: { k: string; x: number; line: number }[] = [];
  {
    let lx = pad.l;
    let line = 0;
    for (const k of keys) {
      const w = 24 + k.length * 6.2;
      if (lx + w > width - pad.r && lx > pad.l) {
        lx = pad.l;
        line += 1;
      }
      legend.push({ k, x: lx, line });
      lx += w;
    }
  }
  const svgHeight = height + (legend.length ? legend[legend.length - 1].line * 14 : 0);
  const head = `<svg class="chart" role="img" aria-label="${label}" viewBox="0 0 ${width} ${svgHeight}" width="${width}" height="${svgHeight}"><title>${label}</title>
<text x="${pad.l}" y="16" class="chart-title">${label}</text>`;
  if (points.length === 0 || keys.length === 0) {
    return `${head}<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" class="plot"/>
<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="muted">${escapeHtml(o.empty ?? 'no data in this window')}</text></svg>`;
  }
  const t0 = points[0].t;
  const t1 = points.length > 1 ? points[points.length - 1].t : t0 + 1;
  let max = 0;
  for (const p of points) for (const k of keys) max = Math.max(max, p.values[k] ?? 0);
  const yMax = niceMax(max);
  const pw = width - pad.l - pad.r;
  const ph = height - pad.t - pad.b;
  const x = (t: number) => pad.l + ((t - t0) / Math.max(1, t1 - t0)) * pw;
  const y = (v: number) => pad.t + ph - (v / yMax) * ph;
  const parts: string[] = [head, `<rect x="${pad.l}" y="${pad.t}" width="${pw}" height="${ph}" class="plot"/>`];
  const yValues = [0, 1, 2, 3, 4].map((i) => (yMax * i) / 4);
  let yLabels = yValues.map(fmt);
  // Small steps (0.005) that the default format rounds alike ("0.01, 0.01"): as many decimals as the step needs.
  if (!o.yFormat && new Set(yLabels).size < yLabels.length) {
    const digits = Math.min(8, Math.max(0, Math.ceil(-Math.log10(yMax / 4))));
    yLabels = yValues.map((v) => formatFixed(v, digits));
  }
  yValues.forEach((v, i) => {
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${pad.l}" x2="${pad.l + pw}" y1="${yy}" y2="${yy}" class="grid"/><text x="${pad.l - 6}" y="${(+yy + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeHtml(yLabels[i])}</text>`);
  });
  // Times in UTC: the last one says so, and ends at the plot's right edge (centred there, it was cut).
  const ticks = Math.min(6, points.length);
  for (let i = 0; i < ticks; i++) {
    const t = t0 + ((t1 - t0) * i) / Math.max(1, ticks - 1);
    const last = ticks > 1 && i === ticks - 1;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${height - pad.b + 16}" text-anchor="${last ? 'end' : 'middle'}" class="tick">${hhmm(t, t1 - t0)}${last || ticks === 1 ? ' UTC' : ''}</text>`);
  }
  keys.forEach((k, i) => {
    const color = o.colors?.[k] ?? PALETTE[i % PALETTE.length];
    const d = points
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.values[k] ?? 0).toFixed(1)}`)
      .join('');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
  });
  legend.forEach(({ k, x: lx, line }, i) => {
    const color = o.colors?.[k] ?? PALETTE[i % PALETTE.length];
    const ly = height - 14 + line * 14;
    parts.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${color}"/><text x="${lx + 14}" y="${ly + 9}" class="legend">${escapeHtml(k)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
