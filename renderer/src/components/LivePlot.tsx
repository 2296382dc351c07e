// The live charts' plot (throughput, queue depth): the time plot over the last minutes in
// seconds, with whole-number ticks from 0 and clock ticks every 3 minutes.
import { useMemo, type ReactNode } from 'react';
import { clockTick, minuteTicks, niceTicks } from '../lib/chartAxes';
import { fmtClock, fmtCompact, fmtZoneAt } from '../lib/format';
import type { TooltipTime } from './ChartTooltip';
import type { PlotFrame } from '../lib/stackedArea';
import type { ChartRow } from '../store/chartData';
import type { Theme } from '../store/store';
import { TimePlot, type PlotAxisSpec } from './TimePlot';
import type { CutAt } from './UntrustedText';

export const LIVE_PLOT_HEIGHT = 232;
const MARGIN = { top: 8, right: 12, bottom: 30, left: 44 };
/** Half an HH:MM label at 11 px. */
const HALF_LABEL = 16;

export interface LivePlotProps {
  /** The rows and the time (seconds) at the left and right edges. */
  data: { rows: readonly ChartRow[]; start: number; end: number };
  /** The series drawn, bottom of the chart first: the tooltip lists them top first. */
  series: readonly string[];
  colorOf: (key: string, index: number) => string;
  /** The series are named by their keys, the broker's or the events' (a queue, an event type): where a name is cut. */
  cut: CutAt;
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

/** A tooltip's time (seconds) and its zone: the axis gives none. */
export const liveTimeTitle = (t: number): TooltipTime => ({ text: fmtClock(t * 1000), zone: fmtZoneAt(t * 1000) });

export function LivePlot({ data, series, colorOf, cut, max, theme, layers, unit, format, hint }: LivePlotProps) {
  const { start, end } = data;
  const axes = useMemo<PlotAxisSpec>(
    () => ({ yTicks: niceTicks(max), yLabel: fmtCompact, xTicks: minuteTicks(start, end), xLabel: clockTick, halfLabel: HALF_LABEL, fontSize: 11, labelGap: 2 }),
    [max, start, end],
  );
  const named = useMemo(() => series.map((key, i) => ({ key, name: key, color: colorOf(key, i), untrusted: cut })), [series, colorOf, cut]);
  return (
    <TimePlot
      data={data}
      series={named}
      axes={axes}
      height={LIVE_PLOT_HEIGHT}
      margin={MARGIN}
      theme={theme}
      layers={layers}
      timeTitle={liveTimeTitle}
      unit={unit}
      format={format}
      hint={hint}
    />
  );
}
