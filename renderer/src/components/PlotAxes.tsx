// The y axis (value ticks from 0) and the time axis of the hand-drawn charts, in a PlotFrame;
// an edge tick's label is moved inside the chart, as recharts did.
import { chartTheme } from '../lib/eventColors';
import { fmtCompact } from '../lib/format';
import type { PlotFrame } from '../lib/stackedArea';
import type { Theme } from '../store/store';

const TICK = 6;

export const plotX = (f: PlotFrame, t: number) => f.left + ((t - f.start) / (f.end - f.start)) * (f.right - f.left);
export const plotY = (f: PlotFrame, v: number) => f.bottom - (v / f.yMax) * (f.bottom - f.top);

export interface PlotAxesProps {
  frame: PlotFrame;
  /** The whole SVG's width (labels stay inside it). */
  width: number;
  theme: Theme;
  yTicks: readonly number[];
  /** A value tick's label (compact numbers by default). */
  yLabel?: (v: number) => string;
  xTicks: readonly number[];
  xLabel: (t: number) => string;
  fontSize: number;
  /** Half the widest time label: how far an edge label is kept from the SVG's edge. */
  halfLabel: number;
  /** Space between a time tick and its label. */
  labelGap: number;
}

export function PlotAxes({ frame, width, theme, yTicks, yLabel = fmtCompact, xTicks, xLabel, fontSize, halfLabel, labelGap }: PlotAxesProps) {
  const ct = chartTheme(theme);
  return (
    <g stroke={ct.axis} fill={ct.text} fontSize={fontSize}>
      <line x1={frame.left} x2={frame.left} y1={frame.top} y2={frame.bottom} />
      {yTicks.map((v) => (
        <g key={v}>
          <line x1={frame.left - TICK} x2={frame.left} y1={plotY(frame, v)} y2={plotY(frame, v)} />
          <text x={frame.left - TICK - 2} y={plotY(frame, v)} dy="0.355em" textAnchor="end" stroke="none">
            {yLabel(v)}
          </text>
        </g>
      ))}
      <line x1={frame.left} x2={frame.right} y1={frame.bottom} y2={frame.bottom} />
      {xTicks.map((t) => (
        <g key={t}>
          <line x1={plotX(frame, t)} x2={plotX(frame, t)} y1={frame.bottom} y2={frame.bottom + TICK} />
          <text x={Math.min(Math.max(plotX(frame, t), halfLabel), width - halfLabel)} y={frame.bottom + TICK + labelGap} dy="0.71em" textAnchor="middle" stroke="none">
            {xLabel(t)}
          </text>
        </g>
      ))}
    </g>
  );
}
