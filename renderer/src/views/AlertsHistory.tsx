// Alert history from the session database: what fired, when, for how long, how bad it got,
// who acknowledged it and how it was resolved. Filter by rule, severity and time.
import { useCallback, useEffect, useReducer, useRef, useState, type ReactNode } from 'react';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { getClient } from '../api/client';
import { fmtAlertValue, fmtCount, fmtDateTime, fmtDuration, fmtInstantTitle, fmtZoneSpan } from '../lib/format';
import { REQUEST_IDLE, requestPending, requestStep, type RequestState } from '../lib/latestRequest';
import { useApp } from '../store/appStore';
import { DEFAULT_HISTORY_FILTER, firingDuration, HISTORY_SHOWN, historyArgs, type HistoryFilter } from '../store/alerts';
import { message } from '../components/Modal';
import { AlertActionDialog } from './AlertsActions';
import { alertSentenceValues, Sentence } from '../components/Sentence';
import { LabelList } from '../components/UntrustedText';
import { RunbookLink } from '../components/RunbookLink';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';


const SPANS = [
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last 24 hours' },
  { hours: 24 * 7, label: 'Last 7 days' },
  { hours: 0, label: 'All time' },
];

export function AlertsHistory({ onStatus }: { onStatus: (line: ReactNode) => void }) {
  const clock = useApp((s) => s.snapshot?.clock ?? null);
  const alerts = useApp((s) => s.alerts);
  const [filter, setFilter] = useState<HistoryFilter>(DEFAULT_HISTORY_FILTER);
  const [state, dispatch] = useReducer(requestStep<AlertHistoryRecord[]>, REQUEST_IDLE);
  const requests = useRef(0);
  const rows = state.data;
  const busy = requestPending(state);
  const [noteFor, setNoteFor] = useState<AlertHistoryRecord | null>(null);
  const [knownRules, setKnownRules] = useState<string[]>([]);

  // The clock moves with every snapshot: read it when loading, reload on filter changes and by hand.
  const clockRef = useRef(clock);
  clockRef.current = clock;
  // A new filter asks a new question: the rows of the one before go. A refresh (or a note saved)
  // asks the same again: its rows stay until the answer comes, and say so if it fails.
  const load = useCallback(
    async (keep: boolean) => {
      const request = ++requests.current;
      dispatch({ kind: 'started', request, keep });
      try {
        const now = clockRef.current ?? Date.now();
        dispatch({ kind: 'answered', request, data: await getClient().invoke('alerts.history', historyArgs(filter, now)) });
      } catch (err) {
        dispatch({ kind: 'failed', request, message: message(err) });
      }
    },
    [filter],
  );

  useEffect(() => {
    void load(false);
  }, [load]);

  useEffect(() => {
    getClient()
      .invoke('rules.get', {})
      .then((d) => setKnownRules(d.rules.map((r) => r.name)))
      .catch(() => undefined);
  }, []);

  const ruleNames = [...new Set([...knownRules, ...alerts.map((a) => a.rule), ...(rows ?? []).map((r) => r.rule)])].sort();
  const now = clock ?? Date.now();
  const update = (patch: Partial<HistoryFilter>) => setFilter((f) => ({ ...f, ...patch }));

  return (
    <section role="region" aria-label="Alert history" className="panel" data-testid="alerts-history">
      <div className="toolbar">
        <label className="inline-field">
          Rule{' '}
          <select value={filter.rule} onChange={(e) => update({ rule: e.target.value })} data-testid="history-rule">
            <option value="">All rules</option>
            {ruleNames.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Severity{' '}
          <select value={filter.severity} onChange={(e) => update({ severity: e.target.value as HistoryFilter['severity'] })} data-testid="history-severity">
            <option value="">Any</option>
            <option value="critical">critical</option>
            <option value="warning">warning</option>
            <option value="info">info</option>
          </select>
        </label>
        <label className="inline-field">
          Time{' '}
          <select value={filter.hours} onChange={(e) => update({ hours: Number(e.target.value) })} data-testid="history-span">
            {SPANS.map((s) => (
              <option key={s.hours} value={s.hours}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <input type="checkbox" checked={!filter.firedOnly} onChange={(e) => update({ firedOnly: !e.target.checked })} data-testid="history-unfired" /> Include episodes that never fired
        </label>
        <button type="button" className="btn btn-small" onClick={() => void load(true)} disabled={busy} data-testid="history-refresh">
          Refresh
        </button>
      </div>
      <HistoryNotice state={state} />
      {rows === null || rows.length === 0 ? null : <HistoryTable rows={rows} now={now} onNote={setNoteFor} />}
      {noteFor ? (
        <AlertActionDialog
          action="note"
          alert={noteFor}
          onClose={() => setNoteFor(null)}
          onDone={(text) => {
            setNoteFor(null);
            onStatus(text);
            void load(true);
          }}
        />
      ) : null}
    </section>
  );
}

/**
 * What the history says above its rows: that it is loading, that it could not be read (and, when
 * the rows below are an earlier read's, that they are), or that the filter matches nothing.
 */
export function HistoryNotice({ state }: { state: RequestState<AlertHistoryRecord[]> }) {
  const { data: rows, error } = state;
  if (error) {
    return (
      <div className="error-text small" role="alert" data-testid="history-error">
        History unavailable: {error.replace(/\.+$/, '')}.{rows?.length ? ' The rows below are from the read before.' : ''} Refresh to try again.
      </div>
    );
  }
  if (rows === null) return <div className="empty">Loading…</div>;
  if (rows.length === 0) {
    return (
      <div className="empty" data-testid="history-empty">
        No alerts in this range.
      </div>
    );
  }
  if (rows.length > HISTORY_SHOWN) {
    return (
      <p className="muted small" data-testid="history-more">
        Showing the newest {fmtCount(HISTORY_SHOWN)} episodes; older ones match too: narrow the rule, severity or time to see them.
      </p>
    );
  }
  return null;
}

/**
 * The history's rows (at most HISTORY_SHOWN), newest first. Its times are local: the Fired and
 * Resolved headings name the zone (both sides when the clocks changed among the rows), each
 * cell's title the zone and UTC instant, as every other table of times.
 */
export function HistoryTable({ rows, now, onNote }: { rows: AlertHistoryRecord[]; now: number; onNote: (r: AlertHistoryRecord) => void }) {
  const shown = rows.slice(0, HISTORY_SHOWN);
  const zone = fmtZoneSpan(
    shown.flatMap((r) => [r.firedAt, r.resolvedAt]),
    now,
  );
  return (
    <table className="table alerts-table" data-testid="history-table">
      <caption className="sr-only">Alert history</caption>
      <thead>
        <tr>
          <th scope="col">Fired ({zone})</th>
          <th scope="col">Resolved ({zone})</th>
          <th scope="col">Firing for</th>
          <th scope="col">Severity</th>
          <th scope="col">Rule · labels</th>
          <th scope="col" className="num">
            Peak
          </th>
          <th scope="col">Notes</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.key} data-testid="history-row" data-key={r.key} data-rule={r.rule} data-state={r.state} data-severity={r.severity} className={`alert-row state-${r.state}`}>
            <td className="nowrap" title={fmtInstantTitle(r.firedAt)}>
              {r.firedAt !== null ? fmtDateTime(r.firedAt) : <span className="muted">never ({r.state})</span>}
            </td>
            <td className="nowrap" title={fmtInstantTitle(r.resolvedAt)}>
              {r.resolvedAt !== null ? fmtDateTime(r.resolvedAt) : r.firedAt !== null ? <span className="badge state-badge state-firing">{r.state}</span> : '—'}
            </td>
            <td className="nowrap">{firingDuration(r, now) === null ? '—' : fmtDuration(firingDuration(r, now))}</td>
            <td>
              <span className={`sev sev-${r.severity}`}>{r.severity}</span>
            </td>
            <td className="rule">
              <div className="rule-name">
                {r.rule}
                {r.silenced ? <span className="badge badge-muted">silenced</span> : null}
              </div>
              {Object.keys(r.labels).length ? (
                <div className="mono small">
                  <LabelList labels={r.labels} />
                </div>
              ) : null}
              <div className="muted small">
                <Sentence text={r.summary} values={alertSentenceValues(r)} />
              </div>
              {r.description ? (
                <div className="small alert-description" data-testid="history-description">
                  <bdi>{withFormatCharactersShown(r.description)}</bdi>
                </div>
              ) : null}
              <RunbookLink url={r.runbookUrl} rule={r.rule} />
            </td>
            <td className="num mono">{fmtAlertValue(r.peakValue, r.metric)}</td>
            <td className="small">
              {r.acknowledged ? (
                <div data-testid="history-ack">
                  ack {r.acknowledged.by}
                  {r.acknowledged.note ? `: ${r.acknowledged.note}` : ''}
                </div>
              ) : null}
              {r.resolveNote ? (
                <div data-testid="history-resolve-note">
                  resolved ({r.resolveNote.by}): {r.resolveNote.note}
                </div>
              ) : null}
            </td>
            <td>
              <button type="button" className="btn btn-small btn-ghost" aria-label={`Resolve note for ${r.rule}`} onClick={() => onNote(r)} data-testid="history-note">
                Note
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
