// Events per second by arrival time over the last two minutes, beside the event-time chart:
// when events arrive hours behind their event time, this is what says they are arriving.
import { memo, useMemo } from 'react';
import { Area, AreaChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { ArrivalView } from '../../../shared/metrics';
import { chartTheme } from '../lib/eventColors';
import { fmtClock, fmtCompact, fmtRate } from '../lib/format';
import type { Theme } from '../store/store';

export const ArrivalChart = memo(function ArrivalChart({ arrival, theme }: { arrival: ArrivalView | null; theme: Theme }) {
  const rows = useMemo(() => {
    if (!arrival) return [];
    const first = arrival.endSec - arrival.perSecond.length;
    return arrival.perSecond.map((n, i) => ({ t: first + i, n }));
  }, [arrival]);
  const ct = chartTheme(theme);
  const total = rows.reduce((s, r) => s + r.n, 0);
  return (
    <div className="chart-block" data-testid="arrival-chart" data-end={arrival?.endSec ?? ''} data-total={total} data-last={arrival?.rates.s1 ?? ''}>
      <div className="muted small">
        by arrival time · last 2 min · {fmtRate(arrival?.rates.s1 ?? null)}/s now
      </div>
      {total === 0 ? (
        <div className="chart-empty small">Nothing arrived in the last 2 minutes</div>
      ) : (
        <ResponsiveContainer width="100%" height={90}>
          <AreaChart data={rows} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => fmtClock(t * 1000).slice(0, 8)} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 10 }} />
            <YAxis width={44} stroke={ct.axis} tick={{ fill: ct.text, fontSize: 10 }} tickFormatter={fmtCompact} allowDecimals={false} />
            <Area type="linear" dataKey="n" name="arrivals/s" stroke={ct.text} fill={ct.text} fillOpacity={0.25} isAnimationActive={false} dot={false} />
          </AreaChart>
        </ResponsiveContainer>
      )}
    </div>
  );
});
