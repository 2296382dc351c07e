// Incident report: the window comes from the explorer's filter or from an alert (a margin
// before it fired to a margin after it resolved). Preview the figures, then export HTML,
// PDF, CSV or JSON with progress and cancel; sensitive fields are masked unless unticked.
import { countText } from '../../../../shared/countText';
import { useEffect, useRef, useState } from 'react';
import type { AlertView } from '../../../../shared/alerts';
import type { EventFilter, ReportData, ReportFormat, ReportJob } from '../../../../shared/explorer';
import { formatMoneyTotal } from '../../../../shared/format';
import { fmtCount, fmtDateTimeZone, fmtLabels, fmtPercent, fmtRange } from '../../lib/format';
import { ownLabels } from '../../store/alerts';
import { localTimeHint } from '../../lib/localTime';
import { useApp } from '../../store/appStore';
import { errorText, explorerCall } from './explorerClient';
import { exportProgress, readMarginMinutes, readReportWindow, reportExportFilter, reportScopeNote, toLocalInput } from './explorerModel';
import { Sentence } from '../../components/Sentence';
import { UntrustedText } from '../../components/UntrustedText';

export interface ReportSeed {
  from: number;
  to: number;
  alertKey: string | null;
  /** The explorer filter the report was started from (its conditions besides the window: reportScopeNote). */
  filter?: EventFilter;
}

const pct = (r: number | null) => fmtPercent(r, 2);

/**
 * An alert as the picker lists it: its rule, its own labels (what tells two merchants' spikes
 * apart; values isolated, as an option is plain text) and when it fired and resolved, each time
 * with its zone.
 */
export function reportAlertOption(a: Pick<AlertView, 'rule' | 'labels' | 'firedAt' | 'resolvedAt'>): string {
  const labels = fmtLabels(ownLabels(a.labels));
  return `${a.rule}${labels ? ` {${labels}}` : ''} · fired ${fmtDateTimeZone(a.firedAt)} ${a.resolvedAt ? `· resolved ${fmtDateTimeZone(a.resolvedAt)}` : '· firing'}`;
}

export function ReportTab({ seed }: { seed: ReportSeed | null }) {
  const clock = useApp((s) => s.snapshot?.clock ?? null);
  const alerts = useApp((s) => s.alerts);
  const fired = alerts.filter((a) => a.firedAt !== null);
  const [source, setSource] = useState<'range' | 'alert'>(seed?.alertKey ? 'alert' : 'range');
  const [alertKey, setAlertKey] = useState(seed?.alertKey ?? '');
  const [margin, setMargin] = useState('15');
  const now = clock ?? Date.now();
  const [from, setFrom] = useState(() => toLocalInput(seed?.from ?? now - 3_600_000));
  const [to, setTo] = useState(() => toLocalInput(seed?.to ?? now + 1000));
  // The instants the inputs were filled from: read back exactly while their text is unchanged
  // (milliseconds, and the repeated hour of a DST fall-back, that local seconds cannot show).
  const [exact, setExact] = useState<{ from?: number; to?: number }>(() => ({ from: seed?.from ?? now - 3_600_000, to: seed?.to ?? now + 1000 }));
  const [format, setFormat] = useState<ReportFormat>('html');
  const [mask, setMask] = useState(true);
  const [maskFields, setMaskFields] = useState('');
  const [notes, setNotes] = useState('');
  const [preview, setPreview] = useState<ReportData | null>(null);
  const [job, setJob] = useState<ReportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const poll = useRef<ReturnType<typeof setInterval> | null>(null);

  useEffect(() => {
    if (!seed) return;
    if (seed.to > seed.from) {
      setFrom(toLocalInput(seed.from));
      setTo(toLocalInput(seed.to));
      setExact({ from: seed.from, to: seed.to });
    }
    if (seed.alertKey) {
      setSource('alert');
      setAlertKey(seed.alertKey);
    } else setSource('range');
  }, [seed]);
  useEffect(() => {
    if (!alertKey && fired.length) setAlertKey(fired[0].key);
  }, [alertKey, fired]);
  useEffect(() => () => void (poll.current && clearInterval(poll.current)), []);

  const request = () => {
    const common = {
      mask,
      maskFields: maskFields
        .split(/[\s,]+/)
        .map((f) => f.trim())
        .filter(Boolean),
      ...(notes.trim() ? { notes } : {}),
    };
    if (source === 'alert') {
      if (!alertKey) throw new Error('choose an alert');
      const m = readMarginMinutes(margin);
      if ('error' in m) throw new Error(m.error);
      return { ...common, alertKey, marginMinutes: m.minutes };
    }
    const window = readReportWindow(from, to, exact);
    if ('error' in window) throw new Error(window.error);
    return { ...common, ...window };
  };

  const doPreview = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await explorerCall('report.build', request()));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const doExport = async () => {
    setError(null);
    try {
      const filter = fromFilter ? reportExportFilter(fromFilter) : undefined;
      const started = await explorerCall('report.export', { ...request(), format, ...(filter ? { filter } : {}) });
      setJob(started);
      if (poll.current) clearInterval(poll.current);
      poll.current = setInterval(() => {
        explorerCall('report.progress', { jobId: started.jobId })
          .then((j) => {
            setJob(j);
            if (j.state !== 'running' && poll.current) {
              clearInterval(poll.current);
              poll.current = null;
            }
          })
          .catch((err) => setError(errorText(err)));
      }, 300);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const cancel = async () => {
    if (!job) return;
    try {
      setJob(await explorerCall('report.cancel', { jobId: job.jobId }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  // The explorer's filter goes with the report while the window is still the one it gave.
  const fromFilter = seed?.filter && source === 'range' && from === toLocalInput(seed.from) && to === toLocalInput(seed.to) ? seed.filter : null;
  const scopeNote = fromFilter ? reportScopeNote(fromFilter, format) : null;
  const running = job?.state === 'running';
  const exportBar = exportProgress(job ?? { done: 0, total: 0 });
  return (
    <div className="explorer-report">
      <form
        className="panel explorer-report-form"
        aria-label="Report settings"
        onSubmit={(e) => {
          e.preventDefault();
          void doExport();
        }}
      >
        <fieldset>
          <legend>Window</legend>
          <label className="inline-field">
            <input type="radio" name="report-source" checked={source === 'range'} onChange={() => setSource('range')} /> A time range
          </label>
          <label className="inline-field">
            <input type="radio" name="report-source" checked={source === 'alert'} onChange={() => setSource('alert')} disabled={fired.length === 0 && !alertKey} /> From an alert
          </label>
          {source === 'range' ? (
            <div className="explorer-filter-grid">
              <label>
                From
                <input type="datetime-local" step="1" aria-label="Report from" title={localTimeHint()} value={from} onChange={(e) => setFrom(e.target.value)} />
              </label>
              <label>
                To (exclusive)
                <input type="datetime-local" step="1" aria-label="Report to" title={localTimeHint()} value={to} onChange={(e) => setTo(e.target.value)} />
              </label>
              {scopeNote ? (
                <p className="muted small" role="note" data-testid="report-scope-note">
                  <Sentence text={scopeNote} />
                </p>
              ) : null}
            </div>
          ) : (
            <div className="explorer-filter-grid">
              <label>
                Alert
                <select aria-label="Alert" value={alertKey} onChange={(e) => setAlertKey(e.target.value)} data-testid="report-alert">
                  {alertKey && !fired.some((a) => a.key === alertKey) ? <option value={alertKey}>{alertKey}</option> : null}
                  {fired.map((a) => (
                    <option key={a.key} value={a.key}>
                      {reportAlertOption(a)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Margin (minutes)
                <input aria-label="Margin in minutes" inputMode="numeric" value={margin} onChange={(e) => setMargin(e.target.value)} size={4} />
              </label>
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>Export</legend>
          <div className="explorer-filter-grid">
            <label>
              Format
              <select aria-label="Report format" value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
                <option value="html">HTML (self-contained)</option>
                <option value="pdf">PDF</option>
                <option value="csv">CSV (events of the window)</option>
                <option value="json">JSON</option>
              </select>
            </label>
            <label className="inline-field">
              <input type="checkbox" checked={mask} onChange={(e) => setMask(e.target.checked)} aria-label="Mask sensitive fields" /> Mask sensitive fields (card BINs, customer ids, e-mail, phone, IBAN)
            </label>
            <label>
              Also mask
              <input aria-label="Also mask fields" value={maskFields} onChange={(e) => setMaskFields(e.target.value)} placeholder="merchantId" />
            </label>
          </div>
          <label className="explorer-notes">
            Operator notes
            <textarea aria-label="Operator notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </label>
          {!mask ? (
            <div className="result result-error small" role="alert">
              Masking is off: the export will contain card BINs and customer data as stored.
            </div>
          ) : null}
        </fieldset>
        <div className="explorer-filter-actions">
          <button type="button" className="btn btn-small" onClick={() => void doPreview()} disabled={busy}>
            Preview
          </button>
          <button type="submit" className="btn btn-primary btn-small" disabled={running} data-testid="report-export">
            Export report
          </button>
          {running ? (
            <button type="button" className="btn btn-small btn-warn" onClick={() => void cancel()}>
              Cancel export
            </button>
          ) : null}
        </div>
        {error ? (
          <div className="error-text small" role="alert">
            {error}
          </div>
        ) : null}
        {job ? (
          <div className="explorer-job" role="status" aria-live="polite" data-testid="report-job" data-state={job.state}>
            {job.state === 'running' ? (
              <>
                {exportBar.max === null ? (
                  <progress aria-label="Export progress" />
                ) : (
                  <progress aria-label="Export progress" max={exportBar.max} value={exportBar.value ?? 0} />
                )}{' '}
                <span className="small">{exportBar.text}</span>
              </>
            ) : job.state === 'done' ? (
              <span className="result result-ok small">
                Saved {job.format.toUpperCase()} ({fmtCount(job.bytes)} bytes) to{' '}
                <span className="mono" data-testid="report-file">
                  {job.file}
                </span>
              </span>
            ) : job.state === 'cancelled' ? (
              <span className="small">Export cancelled; no file was written.</span>
            ) : (
              <span className="error-text small">Export failed: {job.error}</span>
            )}
          </div>
        ) : null}
      </form>
      {preview ? <ReportPreview report={preview} /> : null}
    </div>
  );
}

/** The values a report's summary lines are written around: its filter's, the top merchant's and decline code's, the rules that fired. */
function summaryValues(report: ReportData): string[] {
  const filter = Object.values(report.filter ?? {}).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : []));
  return [...filter, ...(report.topMerchants ?? []).slice(0, 1).map((m) => m.merchantId), ...(report.topDeclineCodes ?? []).slice(0, 1).map((c) => c.declineCode), ...Object.keys(report.alertCounts?.byRule ?? {})];
}

export function ReportPreview({ report }: { report: ReportData }) {
  const t = report.totals;
  const p = report.previous.totals;
  // One row per currency, each in its own decimals: amounts are never added across currencies.
  const currencies = [...new Set([...Object.keys(t.authorizedAmountByCurrency), ...Object.keys(p.authorizedAmountByCurrency)])].sort();
  return (
    <section className="panel" aria-label="Report preview" data-testid="report-preview">
      <h2>{report.title}</h2>
      <p className="muted small">
        <span title={`${report.window.from} – ${report.window.to}`}>{fmtRange(report.window.fromMs, report.window.toMs)}</span> · built in {report.tookMs} ms
      </p>
      <ul className="small">
        {report.summary.map((l, i) => (
          <li key={i}>
            <Sentence text={l} values={summaryValues(report)} />
          </li>
        ))}
      </ul>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" className="num">
              This window
            </th>
            <th scope="col" className="num">
              Window before
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Events</td>
            <td className="num">{fmtCount(t.events)}</td>
            <td className="num">{fmtCount(p.events)}</td>
          </tr>
          <tr>
            <td>Approval rate per attempt</td>
            <td className="num">{pct(t.approvalRate)}</td>
            <td className="num">{pct(p.approvalRate)}</td>
          </tr>
          <tr>
            <td>Approval rate per payment (retries counted once)</td>
            <td className="num">{pct(t.paymentApprovalRate)}</td>
            <td className="num">{pct(p.paymentApprovalRate)}</td>
          </tr>
          <tr>
            <td>Decline rate per attempt</td>
            <td className="num">{pct(t.declineRate)}</td>
            <td className="num">{pct(p.declineRate)}</td>
          </tr>
          <tr>
            <td>Declines: soft / hard</td>
            <td className="num">
              {fmtCount(t.softDeclines)} / {fmtCount(t.hardDeclines)}
            </td>
            <td className="num">
              {fmtCount(p.softDeclines)} / {fmtCount(p.hardDeclines)}
            </td>
          </tr>
          <tr>
            <td>Risk blocks (risk.scored decisions)</td>
            <td className="num" data-testid="report-risk-blocks">
              {fmtCount(t.riskDecisions.block ?? 0)}
            </td>
            <td className="num">{fmtCount(p.riskDecisions.block ?? 0)}</td>
          </tr>
          {currencies.map((c) => (
            <tr key={c} data-testid="report-amount" data-currency={c}>
              <td>Authorized {c || '(no currency)'}</td>
              <td className="num mono">{formatMoneyTotal(t.authorizedAmountByCurrency[c] ?? 0, c || null)}</td>
              <td className="num mono">{formatMoneyTotal(p.authorizedAmountByCurrency[c] ?? 0, c || null)}</td>
            </tr>
          ))}
          <tr>
            <td>Alerts firing</td>
            <td className="num">{fmtCount(report.alertCounts.total)}</td>
            <td className="num" />
          </tr>
        </tbody>
      </table>
      {report.topDeclineCodes.length ? (
        <>
          <h3 className="small">Top decline codes</h3>
          <table className="table">
            <tbody>
              {report.topDeclineCodes.map((c) => (
                <tr key={c.declineCode} data-testid="report-decline-code">
                  <td className="mono">
                    <UntrustedText text={c.declineCode} />
                  </td>
                  <td>{c.meaning}</td>
                  <td>
                    <span className={`badge badge-${c.kind === 'hard' ? 'crit' : 'info'}`}>{c.kind}</span>
                  </td>
                  <td className="num">{countText(c.events, 'decline', undefined, fmtCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {report.topMerchants.length ? (
        <>
          <h3 className="small">Top merchants</h3>
          <table className="table">
            <tbody>
              {report.topMerchants.map((m) => (
                <tr key={m.merchantId}>
                  <td className="mono">
                    <UntrustedText text={m.merchantId} />
                  </td>
                  <td className="num">{countText(m.events, 'event', undefined, fmtCount)}</td>
                  <td className="num">{countText(m.declines, 'decline', undefined, fmtCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
