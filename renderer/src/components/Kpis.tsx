// KPI tiles. Each tile has a stable data-testid (`kpi-<name>`), its number as text in
// `kpi-<name>-value`, and the raw number in data-value ("" when unknown).
import { memo, useMemo } from 'react';
import type { CurrencyVolume, EngineSnapshot } from '../../../shared/metrics';
import { formatInteger, formatMoneyTotal } from '../../../shared/format';
import { fmtMs, fmtPayments, fmtPercent, fmtRate, fmtTileMoney } from '../lib/format';
import { useApp } from '../store/appStore';
import type { AlertMetric } from '../../../shared/alertRules';
import { kpiSpark, kpiState, sparkPaths, type KpiSparkKind } from '../lib/kpiTrend';
import { useAlertRules } from '../lib/useDashboardSeries';

interface TileProps {
  id: string;
  label: string;
  value: string;
  raw: number | null;
  unit?: string;
  sub?: string;
  tone?: 'ok' | 'warn' | 'crit' | null;
  /** The sparkline's kind, over the live series the dashboard holds. */
  spark?: KpiSparkKind;
  /** The alert metrics whose rules colour this tile. */
  watchedBy?: AlertMetric[];
  /** The value in full, when `value` is shortened to fit the tile. */
  fullValue?: string;
}

function Tile({ id, label, value, raw, unit, sub, tone, spark, watchedBy, fullValue }: TileProps) {
  const rules = useAlertRules();
  const alerts = useApp((s) => s.alerts);
  const state = watchedBy ? kpiState(watchedBy, rules, alerts) : null;
  // A watched tile takes its colour from its rules; a value with no rule keeps its own hint.
  const shownTone = state?.tone === 'ok' ? (tone ?? 'ok') : (state?.tone ?? tone ?? null);
  const watchedTitle = state && state.watchers.length ? `Watched by ${state.watchers.join('; ')}` : undefined;
  const title = [fullValue, watchedTitle].filter(Boolean).join(' · ') || undefined;
  return (
    <div className={`kpi${shownTone ? ` kpi-${shownTone}` : ''}`} data-testid={`kpi-${id}`} data-value={raw ?? ''} data-state={shownTone ?? 'unwatched'} title={title}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-main">
        <span className="kpi-value" data-testid={`kpi-${id}-value`} data-full={fullValue}>
          {value}
        </span>
        {unit && value !== '—' ? <span className="kpi-unit">{unit}</span> : null}
      </div>
      <div className="kpi-sub">{sub ?? '\u00a0'}</div>
      {spark ? <Spark kind={spark} label={spark === 'approval' || spark === 'decline' ? `${label} per attempt` : label} /> : null}
      {title ? <span className="sr-only">{title}</span> : null}
    </div>
  );
}

/** The tile's trend over the dashboard's live window (15 minutes), drawn without a chart library: it redraws with every snapshot. */
const Spark = memo(function Spark({ kind, label }: { kind: KpiSparkKind; label: string }) {
  const points = useApp((s) => s.view.throughput);
  const paths = useMemo(() => sparkPaths(kpiSpark(points, kind), kind === 'approval' || kind === 'decline' ? 1 : undefined), [points, kind]);
  return (
    <svg className="kpi-spark" viewBox="0 0 100 20" preserveAspectRatio="none" role="img" aria-label={`${label}, trend over the last 15 minutes`} data-testid={`kpi-spark-${kind}`} data-lines={paths.length}>
      {paths.map((d, i) => (
        <polyline key={i} points={d} fill="none" stroke="currentColor" strokeWidth="1.2" vectorEffect="non-scaling-stroke" />
      ))}
    </svg>
  );
});

function num(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function kpiValues(s: EngineSnapshot | null) {
  return {
    // What arrives now, by arrival time: by event time the last complete second is still filling
    // while ingest lags (1 s of lag read low, 2 s read 0). The event-time rate where a snapshot
    // carries no arrivals (an older engine).
    eventsPerSecond: num(s?.arrival ? s.arrival.rates.s1 : s?.rates.total.s1),
    byArrival: s?.arrival !== undefined,
    arrivalPerSecondM1: num(s?.arrival?.rates.m1),
    eventTimePerSecond: num(s?.rates.total.s1),
    late: s?.arrival?.late ?? null,
    eventsPerSecondM1: num(s?.rates.total.m1),
    eventsPerSecondM5: num(s?.rates.total.m5),
    approvalRate: num(s?.approvalRate),
    paymentApprovalRate: num(s?.paymentApprovalRate),
    declineRate: num(s?.declineRate),
    failuresPerMin: num(s?.failuresPerMin),
    failureRate: num(s?.failureRate),
    riskFlaggedPerMin: num(s?.riskFlaggedPerMin),
    riskFlaggedRate: num(s?.riskFlaggedRate),
    riskBlockedPerMin: num(s?.riskBlockedPerMin),
    riskBlockedRate: num(s?.riskBlockedRate),
    lagP50: num(s?.arrivalLagMs.p50),
    lagP95: num(s?.arrivalLagMs.p95),
  };
}

/**
 * A count tile's rate, with what it is a share of and over when (the last minute, as the tiles
 * beside it say). The engine has no rate for a minute without attempts (scorings): that is said,
 * not drawn as a dash rate.
 */
export function rateSubText(rate: number | null, of: 'attempts' | 'scorings'): string {
  return rate === null ? `no ${of} in the last minute` : `${fmtPercent(rate, 2)} of ${of} · last minute`;
}

/**
 * Authorized volume of the last minute: the busiest currency in its own decimals, the others
 * named beside it. Amounts in different currencies are never added together.
 */
function AuthorizedVolumeTile({ volumes, currencies }: { volumes: CurrencyVolume[]; currencies?: number }) {
  const top = volumes[0] ?? null;
  // A minute of KRW or IDR is more digits than a tile holds: shortened, the whole amount in its title.
  const amount = top?.currency ? fmtTileMoney(top.amount, top.currency) : null;
  return (
    <Tile
      id="authorized-volume"
      label="Authorized / min"
      value={top ? (amount ? amount.text : formatInteger(top.amount)) : '—'}
      fullValue={amount && amount.text !== amount.exact ? `${amount.exact} ${top!.currency}` : undefined}
      raw={top ? top.amount : null}
      unit={top ? top.currency || 'minor units' : undefined}
      sub={authorizedVolumeSub(volumes, currencies)}
    />
  );
}

/**
 * The Authorized / min tile's line under the busiest currency: the next two, then how many more
 * currencies were authorized in the minute (`currencies`, the snapshot's count; the list carries
 * the busiest 8 only), or the busiest one's payments when it is the only one.
 */
export function authorizedVolumeSub(volumes: CurrencyVolume[], currencies = volumes.length): string {
  const top = volumes[0];
  if (!top) return 'last minute';
  const all = Math.max(currencies, volumes.length);
  if (all <= 1) return fmtPayments(top.count);
  const rest = volumes.slice(1, 3).map((v) => formatMoneyTotal(v.amount, v.currency || null));
  const more = all - 1 - rest.length;
  return `${rest.join(' · ')}${more > 0 ? ` · +${more} more` : ''}`;
}

export const KpiTiles = memo(function KpiTiles() {
  const snapshot = useApp((s) => s.view.snapshot);
  const k = kpiValues(snapshot);
  return (
    <div className="kpis" role="group" aria-label="Key indicators" data-testid="kpis">
      <Tile
        id="events-per-second"
        label="Events / s"
        value={fmtRate(k.eventsPerSecond)}
        raw={k.eventsPerSecond}
        sub={
          k.late
            ? `by arrival · by event time ${fmtRate(k.eventTimePerSecond)}`
            : k.byArrival
              ? `by arrival · 1m ${fmtRate(k.arrivalPerSecondM1)}`
              : `1m ${fmtRate(k.eventsPerSecondM1)} · 5m ${fmtRate(k.eventsPerSecondM5)}`
        }
        spark="events"
        watchedBy={['throughput', 'no_data']}
      />
      <Tile
        id="approval-rate"
        label="Approval rate"
        value={fmtPercent(k.approvalRate)}
        raw={k.approvalRate}
        sub={`per attempt · last minute · per payment ${fmtPercent(k.paymentApprovalRate)}`}
        spark="approval"
        watchedBy={['approval_rate']}
      />
      <Tile id="decline-rate" label="Decline rate" value={fmtPercent(k.declineRate)} raw={k.declineRate} sub="per attempt · last minute" spark="decline" watchedBy={['decline_rate']} />
      <Tile
        id="failures"
        label="Failures"
        value={fmtRate(k.failuresPerMin)}
        raw={k.failuresPerMin}
        unit="/min"
        sub={rateSubText(k.failureRate, 'attempts')}
        tone={k.failuresPerMin ? 'warn' : null}
        spark="failed"
        watchedBy={['failure_rate']}
      />
      <Tile
        id="risk-flagged-per-min"
        label="Risk flagged"
        value={fmtRate(k.riskFlaggedPerMin)}
        raw={k.riskFlaggedPerMin}
        unit="/min"
        sub={rateSubText(k.riskFlaggedRate, 'scorings')}
        spark="flagged"
        watchedBy={['risk_flagged_count', 'risk_flagged_rate']}
      />
      <Tile
        id="risk-blocked-per-min"
        label="Risk blocked"
        value={fmtRate(k.riskBlockedPerMin)}
        raw={k.riskBlockedPerMin}
        unit="/min"
        sub={rateSubText(k.riskBlockedRate, 'scorings')}
        spark="blocked"
        watchedBy={['risk_blocked_count', 'risk_blocked_rate']}
      />
      <AuthorizedVolumeTile volumes={snapshot?.authorizedLastMinute ?? []} currencies={snapshot?.authorizedCurrencies} />
      <Tile id="arrival-lag-p50" label="Arrival lag p50" value={fmtMs(k.lagP50)} raw={k.lagP50} sub="last minute" />
      <Tile id="arrival-lag-p95" label="Arrival lag p95" value={fmtMs(k.lagP95)} raw={k.lagP95} sub="last minute" watchedBy={['arrival_lag_p95']} />
    </div>
  );
});
