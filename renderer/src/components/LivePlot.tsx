// The live charts' plot, drawn as plain SVG (recharts cost ~35 ms of its own machinery per
// redraw, once a second under load): grid, y ticks from 0, clock ticks every 3 minutes, the
// caller's layers clipped to the plot, and a tooltip on hover (or the arrow keys when
// focused). Hovering redraws only the cursor and the tooltip: the SVG is memoised.
import { memo, useId, useMemo, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { clockTick, minuteTicks, niceTicks } from '../lib/chartAxes';
import { chartTheme } from '../lib/eventColors';
import { useElementWidth } from '../lib/hooks';
import { nearestRow, type PlotFrame } from '../lib/stackedArea';
import type { ChartRow } from '../store/chartData';
import type { Theme } from '../store/store';
import { ChartTooltipBox } from './ChartTooltip';
import { PlotAxes, plotX, plotY } from './PlotAxes';

export const LIVE_PLOT_HEIGHT = 232;
const MARGIN = { top: 8, right: 12, bottom: 30, left: 44 };
const CURSOR = '#ccc';
/** Half an HH:MM label at 11 px. */
const HALF_LABEL = 16;

export interface LivePlotProps {
  /** The rows and the time (seconds) at the left and right edges. */
  data: { rows: readonly ChartRow[]; start: number; end: number };
  /** The series drawn, bottom of the chart first: the tooltip lists them top first. */
  series: readonly string[];
  colorOf: (key: string, index: number) => string;
  /** The largest value drawn: the y axis covers it with "nice" ticks. */
  max: number;
  theme: Theme;
  /** What the plot draws in its frame (paths), clipped to it. */
  layers: (frame: PlotFrame) => ReactNode;
  unit: string;
  format: (v: number) => string;
  /** What the focused plot offers, for assistive technology. */
  hint: string;
}

export function LivePlot({ data, series, colorOf, max, theme, layers, unit, format, hint }: LivePlotProps) {
  const { rows, start, end } = data;
  const [box, width] = useElementWidth<HTMLDivElement>();
  const frame = useMemo<PlotFrame>(() => {
    const yTicks = niceTicks(max);
    return { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: LIVE_PLOT_HEIGHT - MARGIN.bottom, start, end, yMax: yTicks[yTicks.length - 1] };
  }, [max, width, start, end]);
  const [active, setActive] = useState<number | null>(null);
  const row = active === null ? undefined : rows[Math.min(active, rows.length - 1)];

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    if (x < frame.left || x > frame.right) return setActive(null);
    setActive(nearestRow(rows, frame.start + ((x - frame.left) / (frame.right - frame.left)) * (frame.end - frame.start)));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = rows.length - 1;
    if (e.key === 'ArrowLeft') setActive((i) => Math.max(0, (i ?? last + 1) - 1));
    else if (e.key === 'ArrowRight') setActive((i) => Math.min(last, (i ?? -1) + 1));
    else if (e.key === 'Escape') setActive(null);
    else return;
    e.preventDefault();
  };

  let overlay: ReactNode = null;
  if (row) {
    const x = plotX(frame, row.t);
    const items = series.map((key, i) => ({ key, name: key, color: colorOf(key, i), value: row[key] ?? null })).reverse();
    // Beside the cursor, on whichever side has room.
    const side = x > width / 2 ? { right: width - x + 10 } : { left: x + 10 };
    overlay = (
      <>
        <div className="plot-cursor" style={{ left: Math.round(x), top: frame.top, height: frame.bottom - frame.top, background: CURSOR }} />
        <div className="plot-tooltip" style={{ top: frame.top, ...side }}>
          <ChartTooltipBox time={row.t} items={items} unit={unit} format={format} />
        </div>
      </>
    );
  }
  return (
    <div ref={box} className="stacked-plot" tabIndex={0} role="application" aria-label={hint} onPointerMove={onPointerMove} onPointerLeave={() => setActive(null)} onKeyDown={onKeyDown} onBlur={() => setActive(null)}>
      {width > 0 ? <PlotSvg frame={frame} theme={theme} layers={layers} /> : null}
      {overlay}
    </div>
  );
}

const PlotSvg = memo(function PlotSvg({ frame, theme, layers }: { frame: PlotFrame; theme: Theme; layers: (frame: PlotFrame) => ReactNode }) {
  const ct = chartTheme(theme);
  const width = frame.right + MARGIN.right;
  const clipId = `live-plot-clip${useId().replace(/[^\w-]/g, '')}`;
  const yTicks = niceTicks(frame.yMax);
  return (
    <svg width={width} height={LIVE_PLOT_HEIGHT} aria-hidden="true">
      <defs>
        <clipPath id={clipId}>
          <rect x={frame.left} y={frame.top} width={frame.right - frame.left} height={frame.bottom - frame.top} />
        </clipPath>
      </defs>
      <g stroke={ct.grid}>
        {yTicks.map((v) => (
          <line key={v} x1={frame.left} x2={frame.right} y1={plotY(frame, v)} y2={plotY(frame, v)} />
        ))}
      </g>
      <g clipPath={`url(#${clipId})`}>{layers(frame)}</g>
      <PlotAxes frame={frame} width={width} theme={theme} yTicks={yTicks} xTicks={minuteTicks(frame.start, frame.end)} xLabel={clockTick} fontSize={11} halfLabel={HALF_LABEL} labelGap={2} />
    </svg>
  );
});
