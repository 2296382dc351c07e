// The dashboard's rollup charts: approval and decline rate (per attempt) with the alert rules'
// thresholds and learned baseline, authorization latency percentiles, money per currency,
// top decline codes with their meaning, and risk decisions. All over the chosen range, each
// with an accessible name and a data table; compare series are drawn dashed.
import { memo, startTransition, useEffect, useMemo, useRef, useState } from 'react';
import type { DashboardSeries } from '../../../shared/dashboardApi';
import { knownCurrencyDigits } from '../../../shared/currencies';
import { declineCodeInfo } from '../../../shared/declineCodes';
import { formatMoneyTotal } from '../../../shared/format';
import { fmtCount, fmtCountText, fmtMajorAmount, fmtMs, fmtPercent, fmtRange, fmtRate } from '../lib/format';
import { lineGapMs, zeroFilled } from '../lib/linePath';
import { isRefreshOf } from '../lib/rangeRefresh';
import { baselineBand, ruleLines, type ThresholdLine } from '../lib/ruleLines';
import { useAlertRules, useDashboardSeries } from '../lib/useDashboardSeries';
import { useApp } from '../store/appStore';
import { useRange } from '../store/dashboardRange';
import { triageHash } from '../views/triageModel';
import { RangePicker } from './RangePicker';
import './DashboardCharts.css';
import { TimeChart, type ChartSeries, type ChartThreshold } from './TimeChart';
import { UntrustedText } from './UntrustedText';

const GREEN = '#2fae6a';
const ORANGE = '#e8833a';
const RED = '#e5484d';
const BLUE = '#4ea1ff';
const VIOLET = '#a371f7';
const DECISION_COLORS: Record<string, string> = { approve: GREEN, review: '#d4a72c', block: '#9b2c2c' };

const COMPARE_LABEL = { yesterday: 'yesterday', lastWeek: 'last week' } as const;

function windowText(d: DashboardSeries): string {
  return fmtRange(d.fromMs, d.toMs);
}

/** A count chart's points with its steps without events at zero (the host sends only steps with events). */
function countsWithZeros(d: DashboardSeries): (points: DashboardSeries['attempts']) => DashboardSeries['attempts'] {
  const gap = lineGapMs(d.stepMs, d.fromMs, d.toMs);
  return (points) => zeroFilled(points, gap, d.stepMs, d.fromMs, d.toMs);
}

/** The window a panel draws, so tests and benchmarks can wait for each panel (they draw apart). */
function windowAttr(d: DashboardSeries): string {
  return `${d.fromMs}/${d.toMs}`;
}

function ghostName(d: DashboardSeries, name: string): string {
  return d.compare ? `${name} (${COMPARE_LABEL[d.compare.with as 'yesterday' | 'lastWeek']})` : name;
}

interface PanelProps {
  data: DashboardSeries;
}

function usePanelCommon() {
  const theme = useApp((s) => s.theme);
  const fixRange = useRange((s) => s.fixRange);
  return { theme, onZoom: fixRange };
}

const pct = (v: number) => fmtPercent(v, 1);

/**
 * Once a range is selected (a drag on a chart, or the custom picker), triage can explain it:
 * the approval rate of the range against the four ranges of its length before it. The range
 * is the one selected, not the window the panel last drew: that is the previous range until
 * the new one's data arrives, and a quick click must not explain it.
 */
function ExplainRangeLink() {
  const following = useRange((s) => s.following);
  const fromMs = useRange((s) => s.fromMs);
  const toMs = useRange((s) => s.toMs);
  if (following || fromMs === null || toMs === null) return null;
  return (
    <a className="btn btn-small panel-control" href={triageHash(fromMs, toMs, 'approval-rate')} data-testid="explain-range">
      Explain this range
    </a>
  );
}

/** An alert rule's threshold line in the rates chart's legend: on which line (the rules judge per attempt; approval is drawn per payment too). */
export function thresholdLabel(t: ThresholdLine): string {
  return `${t.rule}: ${t.metric === 'approval_rate' ? 'approval' : 'decline'} per attempt ${t.kind} ${pct(t.value)}`;
}

export const RatesPanel = memo(function RatesPanel({ data }: PanelProps) {
  const { theme, onZoom } = usePanelCommon();
  const rules = useAlertRules();
  const lines = useMemo(() => ruleLines(rules, ['approval_rate', 'decline_rate']), [rules]);
  const declineBaseline = lines.baselines.find((b) => b.metric === 'decline_rate');
  const band = useMemo(() => (declineBaseline ? baselineBand(data.declineRate, declineBaseline) : undefined), [data.declineRate, declineBaseline]);
  const series: ChartSeries[] = [
    { key: 'approval', name: 'Approval rate per attempt', color: GREEN, points: data.approvalRate },
    { key: 'paymentApproval', name: 'Approval rate per payment', color: BLUE, points: data.paymentApprovalRate },
    { key: 'decline', name: 'Decline rate per attempt', color: ORANGE, points: data.declineRate },
  ];
  if (data.compare) {
    series.push({ key: 'approvalGhost', name: ghostName(data, 'Approval rate per attempt'), color: GREEN, points: data.compare.approvalRate, ghost: true });
    series.push({ key: 'declineGhost', name: ghostName(data, 'Decline rate per attempt'), color: ORANGE, points: data.compare.declineRate, ghost: true });
  }
  const thresholds: ChartThreshold[] = lines.thresholds.map((t) => ({
    label: thresholdLabel(t),
    value: t.value,
    color: t.severity === 'critical' ? RED : '#d4a72c',
  }));
  // Attempts are authorized + declined + failed, as explain and the alert rules count them.
  const attempts = data.totals.authorized + data.totals.declined + data.totals.failed;
  const approval = attempts ? data.totals.authorized / attempts : null;
  const payments = data.totals.payments;
  const paymentApproval = payments ? Math.min(1, data.totals.approvedPayments / payments) : null;
  return (
    <section
      role="region"
      aria-label="Approval and decline rate"
      className="panel"
      data-testid="panel-rates"
      data-window={windowAttr(data)}
      data-approval={approval ?? ''}
      data-attempts={attempts}
      data-payment-approval={paymentApproval ?? ''}
      data-payments={payments}
      data-compare-attempts={data.compare ? data.compare.totals.authorized + data.compare.totals.declined + data.compare.totals.failed : ''}
    >
      <header className="panel-head">
        <h2>Approval and decline rate</h2>
        <span className="muted small" data-testid="rates-summary">
          per attempt {fmtPercent(approval)} of {fmtCount(attempts)} attempts · per payment {fmtPercent(paymentApproval)} of {fmtCount(payments)} payments
        </span>
        <ExplainRangeLink />
      </header>
      <TimeChart
        testId="rates-chart"
        label={`Approval rate per attempt and per payment, decline rate per attempt, percent, ${windowText(data)}`}
        series={series}
        band={band}
        bandLabel={declineBaseline ? `${declineBaseline.rule}: learned decline baseline` : undefined}
        thresholds={thresholds}
        fromMs={data.fromMs}
        toMs={data.toMs}
        format={pct}
        yDomain={[0, 1]}
        theme={theme}
        gapMs={lineGapMs(data.stepMs, data.fromMs, data.toMs)}
        emptyText="No authorizations or declines in this range"
        onZoom={onZoom}
      />
      {declineBaseline ? <p className="muted small chart-note">Shaded: the band {declineBaseline.rule} allows (learned baseline, ±{declineBaseline.deviations} deviations, at least {pct(declineBaseline.minDelta)}).</p> : null}
      <p className="muted small chart-note" data-testid="rates-per-payment-note">
        Per attempt counts every authorization try; per payment counts the retries of one payment id once, at its first attempt, approved if any try was.
      </p>
    </section>
  );
});

export const LatencyPanel = memo(function LatencyPanel({ data }: PanelProps) {
  const { theme, onZoom } = usePanelCommon();
  const series: ChartSeries[] = [
    { key: 'p50', name: 'p50', color: BLUE, points: data.latencyP50 },
    { key: 'p95', name: 'p95', color: ORANGE, points: data.latencyP95 },
    { key: 'p99', name: 'p99', color: RED, points: data.latencyP99 },
  ];
  if (data.compare) series.push({ key: 'p95Ghost', name: ghostName(data, 'p95'), color: ORANGE, points: data.compare.latencyP95, ghost: true });
  const t = data.totals;
  return (
    <section role="region" aria-label="Authorization latency" className="panel" data-testid="panel-latency" data-window={windowAttr(data)} data-p50={t.latencyP50 ?? ''} data-p95={t.latencyP95 ?? ''} data-p99={t.latencyP99 ?? ''}>
      <header className="panel-head">
        <h2>Authorization latency</h2>
        <span className="muted small">
          ms · p50 {fmtMs(t.latencyP50)} · p95 {fmtMs(t.latencyP95)} · p99 {fmtMs(t.latencyP99)}
        </span>
      </header>
      <TimeChart
        testId="latency-chart"
        label={`Authorization latency p50, p95 and p99 in milliseconds, ${windowText(data)}`}
        series={series}
        fromMs={data.fromMs}
        toMs={data.toMs}
        format={(v) => fmtMs(v)}
        theme={theme}
        gapMs={lineGapMs(data.stepMs, data.fromMs, data.toMs)}
        emptyText="No latencies reported in this range"
        onZoom={onZoom}
      />
    </section>
  );
});

export const VolumePanel = memo(function VolumePanel({ data }: PanelProps) {
  const { theme, onZoom } = usePanelCommon();
  const [chosen, setChosen] = useState<string | null>(null);
  const currency = data.volume.find((v) => v.currency === chosen)?.currency ?? data.volume[0]?.currency ?? null;
  const v = data.volume.find((x) => x.currency === currency);
  const ghost = data.compare?.volume.find((x) => x.currency === currency);
  const major = (n: number) => fmtRate(n);
  // The axis rounds; the tooltip and the table give the step's money to the currency's decimals.
  const exact = (n: number) => fmtMajorAmount(n, currency ?? '');
  const counts = countsWithZeros(data);
  const series: ChartSeries[] = v
    ? [
        { key: 'authorized', name: `Authorized (${currency || 'no currency'})`, color: GREEN, points: counts(v.authorized) },
        { key: 'declined', name: `Declined (${currency || 'no currency'})`, color: ORANGE, points: counts(v.declined) },
      ]
    : [];
  if (ghost) series.push({ key: 'authorizedGhost', name: ghostName(data, 'Authorized'), color: GREEN, points: counts(ghost.authorized), ghost: true });
  const stepMinutes = Math.round(data.stepMs / 60_000);
  return (
    <section role="region" aria-label="Volume per currency" className="panel" data-testid="panel-volume" data-window={windowAttr(data)}>
      <header className="panel-head">
        <h2>Volume per currency</h2>
        <span className="muted small">major units per {stepMinutes === 1 ? 'minute' : `${stepMinutes} minutes`}</span>
        <ExplainRangeLink />
        {data.volume.length > 1 ? (
          <label className="small panel-control">
            <span className="sr-only">Currency</span>
            <select value={currency ?? ''} onChange={(e) => setChosen(e.target.value)} data-testid="volume-currency">
              {data.volume.map((x) => (
                <option key={x.currency} value={x.currency}>
                  {x.currency || 'no currency'}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>
      <TimeChart
        testId="volume-chart"
        label={`Authorized and declined volume in ${currency || 'minor units'}, ${knownCurrencyDigits(currency ?? '') === null ? 'minor' : 'major'} units per step, ${windowText(data)}`}
        series={series}
        fromMs={data.fromMs}
        toMs={data.toMs}
        format={major}
        valueFormat={currency ? exact : undefined}
        theme={theme}
        emptyText="No payments in this range"
        onZoom={onZoom}
      />
      {data.volume.length === 0 ? null : (
        <table className="mini-table" data-testid="volume-totals">
          <caption className="sr-only">Authorized and declined amounts per currency in the range</caption>
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">Authorized</th>
              <th scope="col">Declined</th>
            </tr>
          </thead>
          <tbody>
            {data.volume.map((x) => (
              <tr key={x.currency} data-testid={`volume-row-${x.currency}`} data-authorized-minor={x.authorizedMinor} data-declined-minor={x.declinedMinor}>
                <th scope="row">{x.currency || '—'}</th>
                <td>{formatMoneyTotal(x.authorizedMinor, x.currency)}</td>
                <td>{formatMoneyTotal(x.declinedMinor, x.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});

export const DeclineCodesPanel = memo(function DeclineCodesPanel({ data }: PanelProps) {
  const max = Math.max(1, ...data.declineCodes.map((c) => c.count));
  const total = data.totals.declined;
  return (
    <section role="region" aria-label="Top decline codes" className="panel" data-testid="panel-decline-codes" data-window={windowAttr(data)}>
      <header className="panel-head">
        <h2>Top decline codes</h2>
        <span className="muted small">{fmtCount(total)} declines in the range</span>
      </header>
      {data.declineCodes.length === 0 ? (
        <div className="empty small">No declines in this range</div>
      ) : (
        <table className="mini-table decline-codes">
          <caption className="sr-only">Declines per code in the range, most first, with the code's meaning</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Meaning</th>
              <th scope="col">Declines</th>
            </tr>
          </thead>
          <tbody>
            {data.declineCodes.map((c) => {
              const info = declineCodeInfo(c.code);
              return (
                <tr key={c.code} data-testid={`decline-code-${c.code}`} data-count={c.count}>
                  <th scope="row" className="mono">
                    <UntrustedText text={c.code} />
                  </th>
                  <td>
                    {info.meaning} <span className="muted">({info.kind})</span>
                  </td>
                  <td className="num">
                    <span className="bar" style={{ width: `${(c.count / max) * 100}%` }} aria-hidden="true" />
                    {fmtCount(c.count)} · {fmtPercent(total ? c.count / total : null)}
                  </td>
                </tr>
              );
            })}
          </tbody>
          {data.declineCodesLeftOut && data.declineCodesLeftOut.codes > 0 ? (
            // The panel holds the ten codes with most declines; what it leaves out is said, so the
            // shares above are not read as the whole (the tail of PaySim-like traffic is long).
            <tfoot>
              <tr data-testid="decline-codes-left-out" data-count={data.declineCodesLeftOut.count}>
                <td colSpan={2} className="muted small">
                  {fmtCountText(data.declineCodesLeftOut.codes, 'other code')} not shown
                </td>
                <td className="num">
                  {fmtCount(data.declineCodesLeftOut.count)} · {fmtPercent(total ? data.declineCodesLeftOut.count / total : null)}
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      )}
    </section>
  );
});

export const DecisionsPanel = memo(function DecisionsPanel({ data }: PanelProps) {
  const { theme, onZoom } = usePanelCommon();
  const counts = countsWithZeros(data);
  const series: ChartSeries[] = data.decisions.map((d) => ({ key: d.decision, name: d.decision, color: DECISION_COLORS[d.decision] ?? VIOLET, points: counts(d.points) }));
  const stepMinutes = Math.round(data.stepMs / 60_000);
  return (
    <section role="region" aria-label="Risk decisions" className="panel" data-testid="panel-decisions" data-window={windowAttr(data)}>
      <header className="panel-head">
        <h2>Risk decisions</h2>
        <span className="muted small">
          decisions per {stepMinutes === 1 ? 'minute' : `${stepMinutes} minutes`}
          {data.decisions.length > 0 ? ' · ' : null}
          {data.decisions.map((d) => (
            <span key={d.decision} data-testid={`decisions-total-${d.decision}`} data-count={d.total}>
              {d.decision} {fmtCount(d.total)}{' '}
            </span>
          ))}
        </span>
      </header>
      <TimeChart
        testId="decisions-chart"
        label={`Risk decisions per step by decision, ${windowText(data)}`}
        series={series}
        fromMs={data.fromMs}
        toMs={data.toMs}
        format={fmtRate}
        theme={theme}
        emptyText="No risk decisions in this range"
        onZoom={onZoom}
      />
    </section>
  );
});

const PANELS = 5;
const PANEL_DRAW_STEP_MS = 30;

/**
 * What each of the five panels draws. A new range (another length, a compare, a zoom) is drawn
 * by all of them at once: the operator asked and waits for it. A refresh of the range being
 * followed is handed to one panel after another, PANEL_DRAW_STEP_MS apart, each in a task of
 * its own that React may interrupt: drawn together, the five charts made a task of 60-100 ms
 * every refresh, a stall an operator sees while events stream in.
 */
function usePanelData(answer: DashboardSeries | null): (DashboardSeries | null)[] {
  const [drawn, setDrawn] = useState<(DashboardSeries | null)[]>(() => new Array(PANELS).fill(answer));
  const drawnNow = useRef(drawn);
  drawnNow.current = drawn;
  useEffect(() => {
    const shown = drawnNow.current[0];
    if (answer === null || shown === null || answer === shown || !isRefreshOf(answer, shown)) return;
    const timers = Array.from({ length: PANELS }, (_, i) =>
      setTimeout(() => startTransition(() => setDrawn((d) => d.map((x, j) => (j === i ? answer : x)))), i * PANEL_DRAW_STEP_MS),
    );
    return () => timers.forEach(clearTimeout);
  }, [answer]);
  // A new range (or the first answer) is drawn now, by every panel.
  const shown = drawn[0];
  if (answer !== null && answer !== shown && (shown === null || !isRefreshOf(answer, shown))) {
    const all = new Array<DashboardSeries | null>(PANELS).fill(answer);
    setDrawn(all);
    return all;
  }
  return drawn;
}

/**
 * Why the range's charts could not be read. The charts drawn before stay (a moment of a lost
 * connection must not blank them), but they may be of another range than the one just picked:
 * the error says which range they show.
 */
export function RangeChartsError({ error, shown }: { error: string | null; shown: { fromMs: number; toMs: number } | null }) {
  if (!error) return null;
  return (
    <div className="error-text small" role="alert" data-testid="range-error">
      Charts unavailable: {error.replace(/\.+$/, '')}.{shown ? ` The charts below are of ${fmtRange(shown.fromMs, shown.toMs)}, read before.` : ''}
    </div>
  );
}

/** The range picker and every rollup chart, fed by one request per range. */
export function RangeCharts() {
  const { data: answer, error, loading, window } = useDashboardSeries();
  const [data, latency, volume, decisions, declineCodes] = usePanelData(answer);
  return (
    <div className="range-charts" data-testid="range-charts" data-from={data?.fromMs ?? ''} data-to={data?.toMs ?? ''} data-step={data?.stepMs ?? ''} data-compare={data?.compare?.with ?? 'none'}>
      <RangePicker window={window} loading={loading} />
      <RangeChartsError error={error} shown={data} />
      {data ? (
        <div className="chart-grid">
          <RatesPanel data={data} />
          {latency ? <LatencyPanel data={latency} /> : null}
          {volume ? <VolumePanel data={volume} /> : null}
          {decisions ? <DecisionsPanel data={decisions} /> : null}
          {declineCodes ? <DeclineCodesPanel data={declineCodes} /> : null}
        </div>
      ) : (
        <div className="empty small">{loading ? 'Loading charts…' : error ? null : 'Charts start with the first snapshot'}</div>
      )}
    </div>
  );
}
