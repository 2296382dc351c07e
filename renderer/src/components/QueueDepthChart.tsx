// The dashboard's queue depth chart (the throughput chart is ThroughputChart.tsx): one line per
// watched queue, drawn as plain SVG on the live plot (LivePlot.tsx), redrawn once a second. A
// queue not sampled at a second is a gap in its line, not a zero.
import { memo, useCallback, useMemo } from 'react';
import { depthChart } from '../store/chartData';
import type { DPoint } from '../store/series';
import { queueColor } from '../lib/eventColors';
import { fmtCount } from '../lib/format';
import { linePath, seriesMax } from '../lib/linePath';
import type { PlotFrame } from '../lib/stackedArea';
import type { Theme } from '../store/store';
import { LivePlot } from './LivePlot';
import { UntrustedText } from './UntrustedText';

interface DepthProps {
  emptyText?: string;
  points: DPoint[];
  nowSec: number | null;
  windowSeconds: number;
  theme: Theme;
}

export const QueueDepthChart = memo(function QueueDepthChart({ points, nowSec, windowSeconds, theme, emptyText }: DepthProps) {
  const data = useMemo(() => depthChart(points, nowSec, windowSeconds), [points, nowSec, windowSeconds]);
  const minutes = Math.round(windowSeconds / 60);
  const label = `Queue depth per watched queue, messages, last ${minutes} minutes`;
  const max = useMemo(() => seriesMax(data.rows, data.queues), [data]);
  const layers = useCallback(
    (frame: PlotFrame) =>
      data.queues.map((q, i) => <path key={q} d={linePath(data.rows, q, frame)} fill="none" stroke={queueColor(i)} strokeWidth={1.5} />),
    [data],
  );
  return (
    <div className="chart-block">
      <div className="chart" role="figure" aria-label={label} data-testid="queue-depth-chart" data-points={data.rows.length}>
        {data.queues.length === 0 ? (
          <div className="chart-empty">{emptyText ?? 'No queue depth samples yet'}</div>
        ) : (
          <LivePlot
            data={data}
            series={data.queues}
            colorOf={queueColorOf}
            cut="middle"
            max={max}
            theme={theme}
            layers={layers}
            unit=""
            format={fmtCount}
            hint="Hover or use the arrow keys for each queue's depth"
          />
        )}
      </div>
      <ul className="legend" aria-label="Latest depth per queue">
        {data.queues.map((q, i) => (
          <li key={q} data-testid={`queue-depth-legend-${q}`}>
            <span className="swatch" style={{ background: queueColor(i) }} />
            <UntrustedText className="legend-name mono queue-name" text={q} cut="middle" />
            <span className="legend-value">{fmtCount(latest(data.rows, q))}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});

const queueColorOf = (_queue: string, index: number) => queueColor(index);

function latest(rows: readonly { [k: string]: number | null }[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i][key];
    if (typeof v === 'number') return v;
  }
  return null;
}
