// Events per second by arrival time over the last two minutes, beside the event-time chart:
// when events arrive hours behind their event time, this is what says they are arriving.
import { memo, useMemo } from 'react';
import type { ArrivalView } from '../../../shared/metrics';
import { chartTheme } from '../lib/eventColors';
import { fmtClock, fmtCount, fmtRate } from '../lib/format';
import { minuteTicks, niceTicks } from '../lib/chartAxes';
import { useElementWidth, useStaggered } from '../lib/hooks';
import { stackedAreaPaths, stackMax, type PlotFrame } from '../lib/stackedArea';
import type { Theme } from '../store/store';
import { PlotAxes } from './PlotAxes';

type ArrivalRow = { t: number; n: number };

const ARRIVAL_DRAW_DELAY_MS = 500;

/**
 * The header's "now" rate changes with every snapshot (up to 10 a second); the plot only when
 * a second completes (perSecond holds completed seconds), so it is memoised on the row array,
 * which changes with endSec alone. Redrawing the plot on every snapshot was most of the
 * dashboard's script time under load.
 */
export const ArrivalChart = memo(function ArrivalChart({ arrival, theme }: { arrival: ArrivalView | null; theme: Theme }) {
  const endSec = arrival?.endSec ?? null;
  const perSecond = arrival?.perSecond;
  // Keyed on endSec alone: the perSecond of one endSec never changes (it holds completed seconds).
  const rows = useMemo(() => (endSec === null || !perSecond ? [] : perSecond.map((n, i) => ({ t: endSec - perSecond.length + i, n }))), [endSec]);
  const total = useMemo(() => rows.reduce((s, r) => s + r.n, 0), [rows]);
  // Drawn half a second after the throughput chart, which changes in the same snapshot.
  const plotRows = useStaggered(rows, ARRIVAL_DRAW_DELAY_MS);
  return (
    <div className="chart-block" data-testid="arrival-chart" data-end={arrival?.endSec ?? ''} data-total={total} data-last={arrival?.rates.s1 ?? ''}>
      <div className="muted small">
        by arrival time · last 2 min · {fmtRate(arrival?.rates.s1 ?? null)}/s now
      </div>
      <div role="img" aria-label={`Events arriving per second by arrival time, last 2 minutes: ${total === 0 ? 'nothing arrived' : `${fmtCount(total)} arrived, ${fmtRate(arrival?.rates.s1 ?? null)}/s now`}`}>
        {total === 0 ? <div className="chart-empty small">Nothing arrived in the last 2 minutes</div> : <ArrivalPlot rows={plotRows} theme={theme} />}
      </div>
    </div>
  );
});

const PLOT_HEIGHT = 90;
const PLOT_MARGIN = { top: 4, right: 12, bottom: 18, left: 44 };
/** Half an HH:MM:SS label at 10 px: edge labels stay inside the chart. */
const HALF_LABEL = 20;

/**
 * Plain SVG, like the throughput chart (lib/stackedArea): a recharts AreaChart cost ~35 ms of
 * its own machinery per redraw at any row count, once a second under load.
 */
const ArrivalPlot = memo(function ArrivalPlot({ rows, theme }: { rows: ArrivalRow[]; theme: Theme }) {
  const [box, width] = useElementWidth<HTMLDivElement>();
  return (
    <div ref={box} className="arrival-plot">
      {width > 0 && rows.length > 0 ? <ArrivalSvg rows={rows} width={width} theme={theme} /> : null}
    </div>
  );
});

function ArrivalSvg({ rows, width, theme }: { rows: ArrivalRow[]; width: number; theme: Theme }) {
  const ct = chartTheme(theme);
  const yTicks = niceTicks(stackMax(rows, KEYS), 3);
  const frame: PlotFrame = {
    left: PLOT_MARGIN.left,
    right: width - PLOT_MARGIN.right,
    top: PLOT_MARGIN.top,
    bottom: PLOT_HEIGHT - PLOT_MARGIN.bottom,
    start: rows[0].t,
    end: Math.max(rows[rows.length - 1].t, rows[0].t + 1),
    yMax: yTicks[yTicks.length - 1],
  };
  const [band] = stackedAreaPaths(rows, KEYS, frame);
  return (
    <svg width={width} height={PLOT_HEIGHT} aria-hidden="true">
      <path d={band.area} fill={ct.text} fillOpacity={0.25} stroke="none" />
      <path d={band.line} fill="none" stroke={ct.text} />
      <PlotAxes frame={frame} width={width} theme={theme} yTicks={yTicks} xTicks={minuteTicks(frame.start, frame.end, 30)} xLabel={arrivalTick} fontSize={10} halfLabel={HALF_LABEL} labelGap={1} />
    </svg>
  );
}

const KEYS = ['n'];

function arrivalTick(t: number): string {
  return fmtClock(t * 1000).slice(0, 8);
}
