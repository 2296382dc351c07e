// One line chart over the dashboard's time range, with what every rollup chart shares:
// drag to zoom (a fixed range that stops following), alert thresholds as lines, a learned
// baseline band, a ghost (dashed) compare series, an accessible name and a data table
// alternative. Series arrive bounded (LTTB on the read worker); rows merge them by time for
// the tooltip and the table. Drawn on the hand-drawn time plot (TimePlot.tsx), as the live
// charts are: five recharts panels redrawn on every refresh were the dashboard's long tasks.
import { memo, useCallback, useMemo, useState } from 'react';
import { formatDateTime } from '../../../shared/format';
import { fmtInstantTitle, fmtZoneAt, fmtZoneSpan } from '../lib/format';
import type { TooltipTime } from './ChartTooltip';
import type { SeriesPoint } from '../../../shared/dashboardApi';
import { bandPath, pointsPath } from '../lib/linePath';
import { distinctTickLabel, timeTickLabel, timeTicks, valueTicks } from '../lib/rangeAxes';
import type { PlotFrame } from '../lib/stackedArea';
import type { ChartRow } from '../store/chartData';
import type { Theme } from '../store/store';
import { plotY } from './PlotAxes';
import { TimePlot, type PlotAxisSpec } from './TimePlot';

export interface ChartSeries {
  key: string;
  name: string;
  color: string;
  points: readonly SeriesPoint[];
  /** A compare series: dashed and faded. */
  ghost?: boolean;
}

/** A tooltip's time (ms) and its zone: the axis gives none. */
export const rangeTimeTitle = (t: number): TooltipTime => ({ text: formatDateTime(t), zone: fmtZoneAt(t) });

export interface ChartThreshold {
  label: string;
  value: number;
  color: string;
}

export interface TimeChartProps {
  testId: string;
  /** The accessible name: what the chart shows, its unit and its window. */
  label: string;
  series: readonly ChartSeries[];
  band?: { t: number; low: number; high: number }[];
  bandLabel?: string;
  thresholds?: readonly ChartThreshold[];
  fromMs: number;
  toMs: number;
  format: (v: number) => string;
  /** The tooltip's and the data table's values when they need more than the axis (money to its decimals); else `format`. */
  valueFormat?: (v: number) => string;
  yDomain?: [number, number | 'auto'];
  theme: Theme;
  emptyText: string;
  onZoom?: (fromMs: number, toMs: number) => void;
  height?: number;
  /** Points further apart than this are not joined (lineGapMs); default: every point joined. */
  gapMs?: number;
}

/** One row per time any series has a point, holding each series' value there (for the tooltip and the table). */
function mergeRows(series: readonly ChartSeries[]): ChartRow[] {
  const byT = new Map<number, ChartRow>();
  for (const s of series)
    for (const [t, v] of s.points) {
      let r = byT.get(t);
      if (!r) byT.set(t, (r = { t }));
      r[s.key] = v;
    }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/** The left margin grows with the widest value label ("1,500,000" needs more than "0.5 %"). */
const MARGIN = { top: 8, right: 12, bottom: 24 };
const MIN_LEFT = 44;
const BAND_COLOR = '#8b97a8';
/** Average width of a digit or letter at 11 px: keeps edge time labels inside the SVG and sizes the value axis. */
const CHAR_PX = 6.2;

/** The largest value the chart must show: every series, the band's top and the thresholds. */
function valueMax(series: readonly ChartSeries[], band: TimeChartProps['band'], thresholds: TimeChartProps['thresholds']): number {
  let max = 0;
  for (const s of series) for (const [, v] of s.points) if (v > max) max = v;
  for (const b of band ?? []) if (b.high > max) max = b.high;
  for (const th of thresholds ?? []) if (th.value > max) max = th.value;
  return max;
}

export const TimeChart = memo(function TimeChart(props: TimeChartProps) {
  const { testId, label, series, band, bandLabel, thresholds, fromMs, toMs, format, yDomain, theme, emptyText, onZoom, height = 200, gapMs } = props;
  const valueFormat = props.valueFormat ?? format;
  const rows = useMemo(() => mergeRows(series), [series]);
  const [tableOpen, setTableOpen] = useState(false);
  const hasData = series.some((s) => !s.ghost && s.points.length > 0);
  const fixedTop = yDomain && yDomain[1] !== 'auto' ? yDomain[1] : undefined;
  const axes = useMemo<PlotAxisSpec>(() => {
    const xLabel = timeTickLabel(fromMs, toMs);
    const xTicks = timeTicks(fromMs, toMs);
    const widest = Math.max(5, ...xTicks.map((t) => xLabel(t).length));
    const yTicks = valueTicks(valueMax(series, band, thresholds), fixedTop);
    return {
      yTicks,
      yLabel: distinctTickLabel(yTicks, format),
      xTicks,
      xLabel,
      halfLabel: Math.ceil((widest * CHAR_PX) / 2),
      fontSize: 11,
      labelGap: 2,
    };
  }, [series, band, thresholds, fixedTop, fromMs, toMs, format]);
  const margin = useMemo(() => {
    const widest = Math.max(...axes.yTicks.map((v) => axes.yLabel(v).length));
    return { ...MARGIN, left: Math.max(MIN_LEFT, Math.ceil(widest * CHAR_PX) + 14) };
  }, [axes]);
  const plotSeries = useMemo(() => series.map((s) => ({ key: s.key, name: s.name, color: s.color })), [series]);
  const layers = useCallback(
    (frame: PlotFrame) => (
      <>
        {band?.length ? <path d={bandPath(band, frame)} fill={BAND_COLOR} fillOpacity={0.18} stroke="none" /> : null}
        {series.map((s) => (
          <path
            key={s.key}
            data-series={s.key}
            d={pointsPath(s.points, frame, gapMs)}
            fill="none"
            stroke={s.color}
            strokeWidth={s.ghost ? 1.25 : 1.75}
            strokeDasharray={s.ghost ? '5 4' : undefined}
            strokeOpacity={s.ghost ? 0.6 : 1}
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        ))}
        {(thresholds ?? []).map((th) => (
          <g key={th.label} stroke={th.color} fill={th.color}>
            <line x1={frame.left} x2={frame.right} y1={plotY(frame, th.value)} y2={plotY(frame, th.value)} strokeDasharray="3 3" />
            <text x={frame.right - 4} y={plotY(frame, th.value) - 4} textAnchor="end" fontSize={10} stroke="none">
              {th.label}
            </text>
          </g>
        ))}
      </>
    ),
    [series, band, thresholds, gapMs],
  );

  return (
    <div className="chart-block">
      <div className="chart" role="figure" aria-label={label} data-testid={testId} data-points={rows.length}>
        {!hasData ? (
          <div className="chart-empty" style={{ height }}>
            {emptyText}
          </div>
        ) : (
          <TimePlot
            data={{ rows, start: fromMs, end: toMs }}
            series={plotSeries}
            axes={axes}
            height={height}
            margin={margin}
            theme={theme}
            layers={layers}
            timeTitle={rangeTimeTitle}
            unit=""
            format={valueFormat}
            hint={onZoom ? 'Hover or use the arrow keys for the values at a time; drag across the chart to zoom into that range' : 'Hover or use the arrow keys for the values at a time'}
            onZoom={onZoom}
          />
        )}
      </div>
      <ul className="legend" aria-label={`Series of ${label}`}>
        {series.map((s) => (
          <li key={s.key}>
            <span className={`swatch${s.ghost ? ' swatch-ghost' : ''}`} style={{ background: s.color }} />
            <span className="legend-name">{s.name}</span>
          </li>
        ))}
        {(thresholds ?? []).map((th) => (
          <li key={th.label}>
            <span className="swatch swatch-line" style={{ background: th.color }} />
            <span className="legend-name">{th.label}</span>
          </li>
        ))}
        {band?.length && bandLabel ? (
          <li>
            <span className="swatch swatch-band" style={{ background: BAND_COLOR }} />
            <span className="legend-name">{bandLabel}</span>
          </li>
        ) : null}
      </ul>
      {/* The table's rows exist only while it is open: a closed 300-row table still costs a render. */}
      <details className="chart-table" data-testid={`${testId}-table`} onToggle={(e) => setTableOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>Data table</summary>
        <div className="chart-table-scroll">
          <table>
            <caption className="sr-only">{label}</caption>
            <thead>
              <tr>
                <th scope="col">Time ({fmtZoneSpan(rows.map((r) => r.t), toMs)})</th>
                {series.map((s) => (
                  <th scope="col" key={s.key}>
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(tableOpen ? rows : []).map((r) => (
                <tr key={r.t}>
                  <th scope="row" title={fmtInstantTitle(r.t)}>
                    {formatDateTime(r.t)}
                  </th>
                  {series.map((s) => (
                    <td key={s.key}>{typeof r[s.key] === 'number' ? valueFormat(r[s.key] as number) : '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
});
