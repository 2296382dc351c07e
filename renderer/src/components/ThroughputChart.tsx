// The live throughput chart: events/s per type, stacked, over the dashboard's window, redrawn
// once a second. Drawn as plain SVG from paths computed once per redraw (lib/stackedArea),
// not with recharts: recharts' stacked AreaChart cost 35 ms of script per redraw for its own
// machinery at any row count and 90-150 ms with 300 rows of ten types (a long task at 20,000
// events/s); this one costs a few milliseconds. It draws what the recharts chart drew: the
// same layout, grid, axes, colours and the tooltip on hover (or arrow keys when focused).
import { memo, useCallback, useMemo } from 'react';
import { typeColor } from '../lib/eventColors';
import { fmtCount, fmtRate } from '../lib/format';
import { stackedAreaPaths, stackMax, type PlotFrame } from '../lib/stackedArea';
import { throughputChart, type ThroughputChart as ChartData } from '../store/chartData';
import type { TPoint } from '../store/series';
import type { Theme } from '../store/store';
import { LivePlot } from './LivePlot';
import { UntrustedText } from './UntrustedText';

interface ThroughputProps {
  points: TPoint[];
  nowSec: number | null;
  windowSeconds: number;
  theme: Theme;
}

export const ThroughputChart = memo(function ThroughputChart({ points, nowSec, windowSeconds, theme }: ThroughputProps) {
  const data = useMemo(() => throughputChart(points, nowSec, windowSeconds), [points, nowSec, windowSeconds]);
  const minutes = Math.round(windowSeconds / 60);
  const label = `Throughput by event type, events per second, last ${minutes} minutes`;
  return (
    <div className="chart-block">
      <div className="chart" role="figure" aria-label={label} data-testid="throughput-chart" data-points={data.rows.length}>
        {data.types.length === 0 ? (
          <div className="chart-empty">No events in the last {minutes} minutes</div>
        ) : (
          <StackedPlot data={data} theme={theme} />
        )}
      </div>
      <ul className="legend" aria-label="Events per type in the window">
        {data.types.map((type) => (
          <li key={type} data-testid={`throughput-legend-${type}`}>
            <span className="swatch" style={{ background: typeColor(type) }} />
            <UntrustedText className="legend-name" text={type} />
            <span className="legend-value">{fmtCount(data.totals[type])}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});

function StackedPlot({ data, theme }: { data: ChartData; theme: Theme }) {
  const max = useMemo(() => stackMax(data.rows, data.types), [data]);
  const layers = useCallback(
    (frame: PlotFrame) =>
      stackedAreaPaths(data.rows, data.types, frame).map((b) => (
        <g key={b.key} strokeWidth={1}>
          <path d={b.area} fill={typeColor(b.key)} fillOpacity={0.55} stroke="none" />
          <path d={b.line} fill="none" stroke={typeColor(b.key)} />
        </g>
      )),
    [data],
  );
  return (
    <LivePlot
      data={data}
      series={data.types}
      colorOf={typeColor}
      cut="end"
      max={max}
      theme={theme}
      layers={layers}
      unit="/s"
      format={fmtRate}
      hint="Hover or use the arrow keys for each type's rate"
    />
  );
}
