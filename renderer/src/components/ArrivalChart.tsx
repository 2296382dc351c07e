// Events per second by arrival time over the last two minutes, beside the event-time chart:
// when events arrive hours behind their event time, this is what says they are arriving.
import { memo, useMemo } from 'react';
import { Area, AreaChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { ArrivalView } from '../../../shared/metrics';
import { chartTheme } from '../lib/eventColors';
import { fmtClock, fmtCompact, fmtRate } from '../lib/format';
import { useStaggered } from '../lib/hooks';
import type { Theme } from '../store/store';

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
      {total === 0 ? <div className="chart-empty small">Nothing arrived in the last 2 minutes</div> : <ArrivalPlot rows={plotRows} theme={theme} />}
    </div>
  );
});

const ArrivalPlot = memo(function ArrivalPlot({ rows, theme }: { rows: ArrivalRow[]; theme: Theme }) {
  const ct = chartTheme(theme);
  return (
    <ResponsiveContainer width="100%" height={90}>
      <AreaChart data={rows} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
        <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={arrivalTick} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 10 }} />
        <YAxis width={44} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 10 }} tickFormatter={fmtCompact} allowDecimals={false} />
        <Area type="linear" dataKey="n" name="arrivals/s" stroke={ct.text} fill={ct.text} fillOpacity={0.25} isAnimationActive={false} dot={false} />
      </AreaChart>
    </ResponsiveContainer>
  );
});

function arrivalTick(t: number): string {
  return fmtClock(t * 1000).slice(0, 8);
}
