// The live throughput chart: events/s per type, stacked, over the dashboard's window, redrawn
// once a second. Drawn as plain SVG from paths computed once per redraw (lib/stackedArea),
// not with recharts: recharts' stacked AreaChart cost 35 ms of script per redraw for its own
// machinery at any row count and 90-150 ms with 300 rows of ten types (a long task at 20,000
// events/s); this one costs a few milliseconds. It draws what the recharts chart drew: the
// same layout, grid, axes, colours and the tooltip on hover (or arrow keys when focused).
import { memo, useId, useMemo, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { clockTick, minuteTicks, niceTicks } from '../lib/chartAxes';
import { chartTheme, typeColor } from '../lib/eventColors';
import { fmtCompact, fmtCount, fmtRate } from '../lib/format';
import { useElementWidth } from '../lib/hooks';
import { nearestRow, stackedAreaPaths, stackMax, type PlotFrame } from '../lib/stackedArea';
import { throughputChart, type ThroughputChart as ChartData } from '../store/chartData';
import type { TPoint } from '../store/series';
import type { Theme } from '../store/store';
import { ChartTooltipBox } from './ChartTooltip';

const HEIGHT = 232;
const MARGIN = { top: 8, right: 12, bottom: 30, left: 44 };
const TICK = 6;
const CURSOR = '#ccc';
/** Half an HH:MM label at 11 px: an edge tick's label is moved inside the chart, as recharts did. */
const HALF_LABEL = 16;

interface ThroughputProps {
  points: TPoint[];
  nowSec: number | null;
  windowSeconds: number;
  theme: Theme;
}

export const ThroughputChart = memo(function ThroughputChart({ points, nowSec, windowSeconds, theme }: ThroughputProps) {
  const data = useMemo(() => throughputChart(points, nowSec, windowSeconds), [points, nowSec, windowSeconds]);
  const [box, width] = useElementWidth<HTMLDivElement>();
  const minutes = Math.round(windowSeconds / 60);
  const label = `Throughput by event type, events per second, last ${minutes} minutes`;
  return (
    <div className="chart-block">
      <div ref={box} className="chart" role="img" aria-label={label} data-testid="throughput-chart" data-points={data.rows.length}>
        {data.types.length === 0 ? (
          <div className="chart-empty">No events in the last {minutes} minutes</div>
        ) : width > 0 ? (
          <StackedPlot data={data} width={width} theme={theme} />
        ) : null}
      </div>
      <ul className="legend" aria-label="Events per type in the window">
        {data.types.map((type) => (
          <li key={type} data-testid={`throughput-legend-${type}`}>
            <span className="swatch" style={{ background: typeColor(type) }} />
            <span className="legend-name">{type}</span>
            <span className="legend-value">{fmtCount(data.totals[type])}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});

function StackedPlot({ data, width, theme }: { data: ChartData; width: number; theme: Theme }) {
  const frame = useMemo<PlotFrame>(() => {
    const yTicks = niceTicks(stackMax(data.rows, data.types));
    return { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom, start: data.start, end: data.end, yMax: yTicks[yTicks.length - 1] };
  }, [data, width]);
  const [active, setActive] = useState<number | null>(null);
  const row = active === null ? undefined : data.rows[Math.min(active, data.rows.length - 1)];

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    if (x < frame.left || x > frame.right) return setActive(null);
    setActive(nearestRow(data.rows, frame.start + ((x - frame.left) / (frame.right - frame.left)) * (frame.end - frame.start)));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = data.rows.length - 1;
    if (e.key === 'ArrowLeft') setActive((i) => Math.max(0, (i ?? last + 1) - 1));
    else if (e.key === 'ArrowRight') setActive((i) => Math.min(last, (i ?? -1) + 1));
    else if (e.key === 'Escape') setActive(null);
    else return;
    e.preventDefault();
  };

  let overlay: ReactNode = null;
  if (row) {
    const x = frame.left + ((row.t - frame.start) / (frame.end - frame.start)) * (frame.right - frame.left);
    const items = data.types.map((type) => ({ key: type, name: type, color: typeColor(type), value: row[type] ?? null })).reverse();
    // Beside the cursor, on whichever side has room.
    const side = x > width / 2 ? { right: width - x + 10 } : { left: x + 10 };
    overlay = (
      <>
        <div className="plot-cursor" style={{ left: Math.round(x), top: frame.top, height: frame.bottom - frame.top, background: CURSOR }} />
        <div className="plot-tooltip" style={{ top: frame.top, ...side }}>
          <ChartTooltipBox time={row.t} items={items} unit="/s" format={fmtRate} />
        </div>
      </>
    );
  }
  return (
    <div className="stacked-plot" tabIndex={0} role="application" aria-label="Hover or use the arrow keys for each type's rate" onPointerMove={onPointerMove} onPointerLeave={() => setActive(null)} onKeyDown={onKeyDown} onBlur={() => setActive(null)}>
      {/* memoised: hovering redraws only the cursor and the tooltip */}
      <PlotSvg data={data} frame={frame} theme={theme} />
      {overlay}
    </div>
  );
}

const PlotSvg = memo(function PlotSvg({ data, frame, theme }: { data: ChartData; frame: PlotFrame; theme: Theme }) {
  const ct = chartTheme(theme);
  const width = frame.right + MARGIN.right;
  const clipId = `throughput-clip${useId().replace(/[^\w-]/g, '')}`;
  const bands = stackedAreaPaths(data.rows, data.types, frame);
  const yTicks = niceTicks(frame.yMax);
  const y = (v: number) => frame.bottom - (v / frame.yMax) * (frame.bottom - frame.top);
  const x = (t: number) => frame.left + ((t - frame.start) / (frame.end - frame.start)) * (frame.right - frame.left);
  return (
    <svg width={width} height={HEIGHT} aria-hidden="true">
      <defs>
        <clipPath id={clipId}>
          <rect x={frame.left} y={frame.top} width={frame.right - frame.left} height={frame.bottom - frame.top} />
        </clipPath>
      </defs>
      <g stroke={ct.grid}>
        {yTicks.map((v) => (
          <line key={v} x1={frame.left} x2={frame.right} y1={y(v)} y2={y(v)} />
        ))}
      </g>
      <g clipPath={`url(#${clipId})`} strokeWidth={1}>
        {bands.map((b) => (
          <g key={b.key}>
            <path d={b.area} fill={typeColor(b.key)} fillOpacity={0.55} stroke="none" />
            <path d={b.line} fill="none" stroke={typeColor(b.key)} />
          </g>
        ))}
      </g>
      <g stroke={ct.axis} fill={ct.text} fontSize={11}>
        <line x1={frame.left} x2={frame.left} y1={frame.top} y2={frame.bottom} />
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={frame.left - TICK} x2={frame.left} y1={y(v)} y2={y(v)} />
            <text x={frame.left - TICK - 2} y={y(v)} dy="0.355em" textAnchor="end" stroke="none">
              {fmtCompact(v)}
            </text>
          </g>
        ))}
        <line x1={frame.left} x2={frame.right} y1={frame.bottom} y2={frame.bottom} />
        {minuteTicks(data.start, data.end).map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={frame.bottom} y2={frame.bottom + TICK} />
            <text x={Math.min(Math.max(x(t), HALF_LABEL), width - HALF_LABEL)} y={frame.bottom + TICK + 2} dy="0.71em" textAnchor="middle" stroke="none">
              {clockTick(t)}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
});
