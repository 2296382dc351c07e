// The dashboard's queue depth chart (the throughput chart is ThroughputChart.tsx). Memoised
// on the series' identity and the engine clock rounded to a second, so it re-renders about
// once a second, not per snapshot. Animations are off: a live chart that animates every
// update costs CPU and reads badly.
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { depthChart } from '../store/chartData';
import type { DPoint } from '../store/series';
import { clockTick, minuteTicks } from '../lib/chartAxes';
import { chartTheme, queueColor } from '../lib/eventColors';
import { fmtCompact, fmtCount } from '../lib/format';
import type { Theme } from '../store/store';
import { ChartTooltipBox, type TooltipItem } from './ChartTooltip';

const HEIGHT = 232;

/** Recharts' tooltip payload, drawn by the shared tooltip box (series top of the chart first). */
function ChartTooltip({ active, payload, label, unit, format }: TooltipContentProps<number, string> & { unit: string; format: (v: number) => string }) {
  if (!active || !payload?.length) return null;
  const items: TooltipItem[] = [...payload].reverse().map((item) => ({
    key: String(item.dataKey),
    name: String(item.name),
    color: String(item.color ?? item.stroke),
    value: item.value === null || item.value === undefined ? null : Number(item.value),
  }));
  return <ChartTooltipBox time={Number(label)} items={items} unit={unit} format={format} />;
}

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
  const ticks = useMemo(() => minuteTicks(data.start, data.end), [data.start, data.end]);
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
                tickFormatter={clockTick}
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
