// The dashboard's two charts. Both are memoised on the series' identity and the engine
// clock rounded to a second, so they re-render about once a second, not per snapshot.
// Animations are off: a live chart that animates every update costs CPU and reads badly.
import { memo, useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { depthChart, throughputChart } from '../store/chartData';
import type { DPoint, TPoint } from '../store/series';
import { chartTheme, queueColor, typeColor } from '../lib/eventColors';
import { fmtClock, fmtCompact, fmtCount, fmtRate } from '../lib/format';
import type { Theme } from '../store/store';

const HEIGHT = 232;

/** A tooltip with neutral text and a color swatch per series (readable in both themes). */
function ChartTooltip({ active, payload, label, unit, format }: TooltipContentProps<number, string> & { unit: string; format: (v: number) => string }) {
  if (!active || !payload?.length) return null;
  const items = [...payload].reverse();
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{fmtClock(Number(label) * 1000)}</div>
      {items.map((item) => (
        <div key={String(item.dataKey)} className="chart-tooltip-row">
          <span className="swatch" style={{ background: item.color ?? item.stroke }} />
          <span className="chart-tooltip-name">{item.name}</span>
          <span className="chart-tooltip-value">
            {item.value === null || item.value === undefined ? '—' : `${format(Number(item.value))}${unit}`}
          </span>
        </div>
      ))}
    </div>
  );
}

function tickTime(t: number): string {
  return fmtClock(t * 1000).slice(0, 5);
}

function ticksFor(start: number, end: number): number[] {
  // a tick every 3 minutes, aligned on the minute
  const step = 180;
  const first = Math.ceil(start / step) * step;
  const out: number[] = [];
  for (let t = first; t <= end; t += step) out.push(t);
  return out;
}

interface ThroughputProps {
  points: TPoint[];
  nowSec: number | null;
  windowSeconds: number;
  theme: Theme;
}

export const ThroughputChart = memo(function ThroughputChart({ points, nowSec, windowSeconds, theme }: ThroughputProps) {
  const data = useMemo(() => throughputChart(points, nowSec, windowSeconds), [points, nowSec, windowSeconds]);
  const ct = chartTheme(theme);
  const minutes = Math.round(windowSeconds / 60);
  const ticks = useMemo(() => ticksFor(data.start, data.end), [data.start, data.end]);
  const label = `Throughput by event type, events per second, last ${minutes} minutes`;
  return (
    <div className="chart-block">
      <div className="chart" role="img" aria-label={label} data-testid="throughput-chart" data-points={data.rows.length}>
        {data.types.length === 0 ? (
          <div className="chart-empty">No events in the last {minutes} minutes</div>
        ) : (
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <AreaChart data={data.rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={ct.grid} vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                domain={[data.start, data.end]}
                ticks={ticks}
                tickFormatter={tickTime}
                stroke={ct.axis}
                tick={{ fill: ct.text, fontSize: 11 }}
                allowDataOverflow
              />
              <YAxis width={44} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 11 }} tickFormatter={fmtCompact} allowDecimals={false} />
              <Tooltip isAnimationActive={false} content={(p) => <ChartTooltip {...(p as TooltipContentProps<number, string>)} unit="/s" format={fmtRate} />} />
              {data.types.map((type) => (
                <Area
                  key={type}
                  type="linear"
                  dataKey={type}
                  name={type}
                  stackId="all"
                  stroke={typeColor(type)}
                  fill={typeColor(type)}
                  fillOpacity={0.55}
                  strokeWidth={1}
                  dot={false}
                  activeDot={false}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        )}
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

interface DepthProps {
  emptyText?: string;
  points: DPoint[];
  nowSec: number | null;
  windowSeconds: number;
  theme: Theme;
}

export const QueueDepthChart = memo(function QueueDepthChart({ points, nowSec, windowSeconds, theme, emptyText }: DepthProps) {
  const data = useMemo(() => depthChart(points, nowSec, windowSeconds), [points, nowSec, windowSeconds]);
  const ct = chartTheme(theme);
  const minutes = Math.round(windowSeconds / 60);
  const ticks = useMemo(() => ticksFor(data.start, data.end), [data.start, data.end]);
  const label = `Queue depth per watched queue, messages, last ${minutes} minutes`;
  return (
    <div className="chart-block">
      <div className="chart" role="img" aria-label={label} data-testid="queue-depth-chart" data-points={data.rows.length}>
        {data.queues.length === 0 ? (
          <div className="chart-empty">{emptyText ?? 'No queue depth samples yet'}</div>
        ) : (
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <LineChart data={data.rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={ct.grid} vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                domain={[data.start, data.end]}
                ticks={ticks}
                tickFormatter={tickTime}
                stroke={ct.axis}
                tick={{ fill: ct.text, fontSize: 11 }}
                allowDataOverflow
              />
              <YAxis width={44} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 11 }} tickFormatter={fmtCompact} allowDecimals={false} />
              <Tooltip isAnimationActive={false} content={(p) => <ChartTooltip {...(p as TooltipContentProps<number, string>)} unit="" format={fmtCount} />} />
              {data.queues.map((q, i) => (
                <Line
                  key={q}
                  type="linear"
                  dataKey={q}
                  name={q}
                  stroke={queueColor(i)}
                  strokeWidth={1.5}
                  dot={false}
                  activeDot={false}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
      <ul className="legend" aria-label="Latest depth per queue">
        {data.queues.map((q, i) => (
          <li key={q} data-testid={`queue-depth-legend-${q}`}>
            <span className="swatch" style={{ background: queueColor(i) }} />
            <span className="legend-name mono">{q}</span>
            <span className="legend-value">{fmtCount(latest(data.rows, q))}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});

function latest(rows: readonly { [k: string]: number | null }[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i][key];
    if (typeof v === 'number') return v;
  }
  return null;
}
