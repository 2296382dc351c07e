// One line chart over the dashboard's time range, with what every rollup chart shares:
// drag to zoom (a fixed range that stops following), alert thresholds as lines, a learned
// baseline band, a ghost (dashed) compare series, an accessible name and a data table
// alternative. Series arrive bounded (LTTB on the read worker); rows merge them by time.
import { memo, useMemo, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import { formatDateTime, formatHourMinute } from '../../../shared/format';
import type { SeriesPoint } from '../../../shared/dashboardApi';
import { chartTheme } from '../lib/eventColors';
import type { Theme } from '../store/store';

export interface ChartSeries {
  key: string;
  name: string;
  color: string;
  points: readonly SeriesPoint[];
  /** A compare series: dashed and faded. */
  ghost?: boolean;
}

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
  yDomain?: [number, number | 'auto'];
  theme: Theme;
  emptyText: string;
  onZoom?: (fromMs: number, toMs: number) => void;
  height?: number;
}

type Row = { t: number; band?: [number, number] } & Record<string, number | [number, number] | undefined>;

export function mergeRows(series: readonly ChartSeries[], band?: { t: number; low: number; high: number }[]): Row[] {
  const byT = new Map<number, Row>();
  const row = (t: number) => {
    let r = byT.get(t);
    if (!r) byT.set(t, (r = { t }));
    return r;
  };
  for (const s of series) for (const [t, v] of s.points) row(t)[s.key] = v;
  for (const b of band ?? []) row(b.t).band = [b.low, b.high];
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

function tickFormatter(fromMs: number, toMs: number) {
  const withDate = toMs - fromMs > 24 * 3600_000;
  return (t: number) => formatHourMinute(t, undefined, withDate);
}

function RangeTooltip({ active, payload, label, format }: TooltipContentProps<number, string> & { format: (v: number) => string }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatDateTime(Number(label))}</div>
      {payload
        .filter((item) => item.dataKey !== 'band')
        .map((item) => (
          <div key={String(item.dataKey)} className="chart-tooltip-row">
            <span className="swatch" style={{ background: item.color ?? item.stroke }} />
            <span className="chart-tooltip-name">{item.name}</span>
            <span className="chart-tooltip-value">{item.value === null || item.value === undefined ? '—' : format(Number(item.value))}</span>
          </div>
        ))}
    </div>
  );
}

export const TimeChart = memo(function TimeChart(props: TimeChartProps) {
  const { testId, label, series, band, bandLabel, thresholds, fromMs, toMs, format, yDomain, theme, emptyText, onZoom, height = 200 } = props;
  const rows = useMemo(() => mergeRows(series, band), [series, band]);
  const ct = chartTheme(theme);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const [tableOpen, setTableOpen] = useState(false);
  const ticks = useMemo(() => tickFormatter(fromMs, toMs), [fromMs, toMs]);
  const hasData = series.some((s) => !s.ghost && s.points.length > 0);
  const labelOf = (state: { activeLabel?: unknown }) => (typeof state?.activeLabel === 'number' ? state.activeLabel : Number(state?.activeLabel));

  return (
    <div className="chart-block">
      <div className="chart" role="img" aria-label={label} data-testid={testId} data-points={rows.length}>
        {!hasData ? (
          <div className="chart-empty" style={{ height }}>
            {emptyText}
          </div>
        ) : (
          <ResponsiveContainer width="100%" height={height}>
            <ComposedChart
              data={rows}
              margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
              onMouseDown={(s) => {
                const t = labelOf(s);
                if (onZoom && Number.isFinite(t)) setDrag({ a: t, b: t });
              }}
              onMouseMove={(s) => {
                const t = labelOf(s);
                if (drag && Number.isFinite(t)) setDrag({ a: drag.a, b: t });
              }}
              onMouseUp={() => {
                if (drag && onZoom && drag.a !== drag.b) onZoom(Math.min(drag.a, drag.b), Math.max(drag.a, drag.b));
                setDrag(null);
              }}
              onMouseLeave={() => setDrag(null)}
            >
              <CartesianGrid stroke={ct.grid} vertical={false} />
              <XAxis dataKey="t" type="number" domain={[fromMs, toMs]} tickFormatter={ticks} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 11 }} allowDataOverflow tickCount={6} />
              <YAxis width={52} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 11 }} tickFormatter={format} domain={yDomain ?? [0, 'auto']} allowDataOverflow={!!yDomain} />
              <Tooltip isAnimationActive={false} content={(p) => <RangeTooltip {...(p as TooltipContentProps<number, string>)} format={format} />} />
              {band?.length ? (
                <Area dataKey="band" name={bandLabel ?? 'baseline'} stroke="none" fill="#8b97a8" fillOpacity={0.18} isAnimationActive={false} activeDot={false} connectNulls />
              ) : null}
              {series.map((s) => (
                <Line
                  key={s.key}
                  type="linear"
                  dataKey={s.key}
                  name={s.name}
                  stroke={s.color}
                  strokeWidth={s.ghost ? 1.25 : 1.75}
                  strokeDasharray={s.ghost ? '5 4' : undefined}
                  strokeOpacity={s.ghost ? 0.6 : 1}
                  dot={false}
                  activeDot={false}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
              {(thresholds ?? []).map((th) => (
                <ReferenceLine key={th.label} y={th.value} stroke={th.color} strokeDasharray="3 3" ifOverflow="extendDomain" label={{ value: th.label, fill: th.color, fontSize: 10, position: 'insideTopRight' }} />
              ))}
              {drag && drag.a !== drag.b ? <ReferenceArea x1={Math.min(drag.a, drag.b)} x2={Math.max(drag.a, drag.b)} fill="#4ea1ff" fillOpacity={0.15} /> : null}
            </ComposedChart>
          </ResponsiveContainer>
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
      </ul>
      {/* The table's rows exist only while it is open: a closed 300-row table still costs a render. */}
      <details className="chart-table" data-testid={`${testId}-table`} onToggle={(e) => setTableOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>Data table</summary>
        <div className="chart-table-scroll">
          <table>
            <caption className="sr-only">{label}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
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
                  <th scope="row">{formatDateTime(r.t)}</th>
                  {series.map((s) => (
                    <td key={s.key}>{typeof r[s.key] === 'number' ? format(r[s.key] as number) : '—'}</td>
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
