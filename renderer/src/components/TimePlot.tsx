// Every time chart's plot, drawn as plain SVG (recharts cost 35 ms or more of its own
// machinery per redraw, a long task under load): grid, axes, the caller's layers clipped to
// the plot, a tooltip on hover (or the arrow keys when focused) and, where the caller can
// zoom, a drag that selects a time range. Hovering and dragging redraw only the overlay: the
// SVG is memoised.
import { memo, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { chartTheme } from '../lib/eventColors';
import { useElementWidth } from '../lib/hooks';
import { dragRange, timeAt } from '../lib/plotDrag';
import { nearestRow, type PlotFrame } from '../lib/stackedArea';
import type { ChartRow } from '../store/chartData';
import type { Theme } from '../store/store';
import { ChartTooltipBox, TooltipSaid, type TooltipItem, type TooltipTime } from './ChartTooltip';
import { PlotAxes, plotX, plotY } from './PlotAxes';

const CURSOR = '#ccc';
const SELECTION = '#4ea1ff';

export type PlotSeries = Pick<TooltipItem, 'key' | 'name' | 'color' | 'untrusted'>;

export interface PlotAxisSpec {
  /** Value ticks from 0; the last one is the top of the plot. */
  yTicks: readonly number[];
  yLabel: (v: number) => string;
  xTicks: readonly number[];
  xLabel: (t: number) => string;
  /** Half the widest time label: how far an edge label is kept from the SVG's edge. */
  halfLabel: number;
  fontSize: number;
  labelGap: number;
}

export interface TimePlotProps {
  /** Rows keyed by series key, and the time at the left and right edges (the rows' unit). */
  data: { rows: readonly ChartRow[]; start: number; end: number };
  /** The series drawn, bottom of the chart first: the tooltip lists them top first. */
  series: readonly PlotSeries[];
  axes: PlotAxisSpec;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  theme: Theme;
  /** What the plot draws in its frame (paths), clipped to it. */
  layers: (frame: PlotFrame) => ReactNode;
  /** The tooltip's heading for a row's time. */
  /** A row's time as the tooltip heads it, and its zone (drawn apart: the time's text is the data table's). */
  timeTitle: (t: number) => TooltipTime;
  unit: string;
  format: (v: number) => string;
  /** What the focused plot offers, for assistive technology. */
  hint: string;
  /** Called with the dragged range (in the rows' unit, ordered); without it there is no drag. */
  onZoom?: (start: number, end: number) => void;
}

export function TimePlot({ data, series, axes, height, margin, theme, layers, timeTitle, unit, format, hint, onZoom }: TimePlotProps) {
  const { rows, start, end } = data;
  const [box, width] = useElementWidth<HTMLDivElement>();
  const yMax = axes.yTicks[axes.yTicks.length - 1] ?? 1;
  const frame = useMemo<PlotFrame>(
    () => ({ left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom, start, end, yMax }),
    [margin, width, height, start, end, yMax],
  );
  // What is hovered: under the pointer, a place on the plot (live rows move under a still
  // mouse, as in Grafana); chosen with the arrow keys, a time (it stays on its row).
  const [active, setActive] = useState<{ x: number } | { t: number } | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const dragging = useRef(false);
  const activeIndex = active === null ? -1 : nearestRow(rows, 't' in active ? active.t : timeAt(frame, active.x));
  const row = activeIndex < 0 ? undefined : rows[activeIndex];

  const xOf = (e: PointerEvent<HTMLDivElement>) => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const x = xOf(e);
    if (!onZoom || e.button !== 0 || x < frame.left || x > frame.right) return;
    dragging.current = true;
    e.currentTarget.setPointerCapture?.(e.pointerId);
    setDrag({ from: x, to: x });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const x = xOf(e);
    if (dragging.current) setDrag((d) => (d ? { from: d.from, to: x } : d));
    setActive(x < frame.left || x > frame.right ? null : { x });
  };
  const onPointerUp = () => {
    if (!dragging.current) return;
    dragging.current = false;
    const range = drag ? dragRange(frame, drag.from, drag.to) : null;
    setDrag(null);
    if (range && onZoom) onZoom(range[0], range[1]);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = rows.length - 1;
    const at = (i: number) => (last < 0 ? null : { t: rows[Math.min(Math.max(i, 0), last)].t });
    if (e.key === 'ArrowLeft') setActive(at(activeIndex < 0 ? last : activeIndex - 1));
    else if (e.key === 'ArrowRight') setActive(at(activeIndex < 0 ? 0 : activeIndex + 1));
    else if (e.key === 'Home') setActive(at(0));
    else if (e.key === 'End') setActive(at(last));
    else if (e.key === 'Escape') setActive(null);
    else return;
    e.preventDefault();
  };

  let overlay: ReactNode = null;
  if (drag && drag.from !== drag.to) {
    const [a, b] = [drag.from, drag.to].map((x) => Math.min(Math.max(x, frame.left), frame.right));
    overlay = <div className="plot-selection" style={{ left: Math.min(a, b), width: Math.abs(b - a), top: frame.top, height: frame.bottom - frame.top, background: SELECTION }} />;
  }
  const items: TooltipItem[] = row ? series.map((s) => ({ ...s, value: row[s.key] ?? null })).reverse() : [];
  // The values at a time the keys chose, said (the tooltip is drawn only); not those under a moving pointer.
  const said = row && active && 't' in active ? <TooltipSaid time={timeTitle(row.t)} items={items} unit={unit} format={format} /> : null;
  if (!overlay && row) {
    const x = plotX(frame, row.t);
    // Beside the cursor, on whichever side has room.
    const side = x > width / 2 ? { right: width - x + 10 } : { left: x + 10 };
    overlay = (
      <>
        <div className="plot-cursor" style={{ left: Math.round(x), top: frame.top, height: frame.bottom - frame.top, background: CURSOR }} />
        <div className="plot-tooltip" style={{ top: frame.top, ...side }}>
          <ChartTooltipBox time={timeTitle(row.t)} items={items} unit={unit} format={format} />
        </div>
      </>
    );
  }
  return (
    <>
      <div
        ref={box}
        className={`time-plot${onZoom ? ' time-plot-zoomable' : ''}`}
        style={{ height }}
        tabIndex={0}
        role="application"
        aria-label={hint}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => {
          dragging.current = false;
          setDrag(null);
        }}
        onPointerLeave={() => setActive(null)}
        onKeyDown={onKeyDown}
        onBlur={() => setActive(null)}
      >
        {width > 0 ? <PlotSvg frame={frame} height={height} margin={margin} axes={axes} theme={theme} layers={layers} /> : null}
        {overlay}
      </div>
      <div className="sr-only" aria-live="polite" data-testid="plot-said">
        {said}
      </div>
    </>
  );
}

interface PlotSvgProps {
  frame: PlotFrame;
  height: number;
  margin: TimePlotProps['margin'];
  axes: PlotAxisSpec;
  theme: Theme;
  layers: (frame: PlotFrame) => ReactNode;
}

const PlotSvg = memo(function PlotSvg({ frame, height, margin, axes, theme, layers }: PlotSvgProps) {
  const ct = chartTheme(theme);
  const width = frame.right + margin.right;
  const clipId = `time-plot-clip${useId().replace(/[^\w-]/g, '')}`;
  return (
    <svg width={width} height={height} aria-hidden="true">
      <defs>
        <clipPath id={clipId}>
          <rect x={frame.left} y={frame.top} width={Math.max(0, frame.right - frame.left)} height={frame.bottom - frame.top} />
        </clipPath>
      </defs>
      <g stroke={ct.grid}>
        {axes.yTicks.map((v) => (
          <line key={v} x1={frame.left} x2={frame.right} y1={plotY(frame, v)} y2={plotY(frame, v)} />
        ))}
      </g>
      <g clipPath={`url(#${clipId})`}>{layers(frame)}</g>
      <PlotAxes frame={frame} width={width} theme={theme} {...axes} />
    </svg>
  );
});
