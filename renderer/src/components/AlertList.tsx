// A table of alerts, already ordered by the store (firing, pending, ..., resolved).
import { memo, useEffect, useRef } from 'react';
import type { AlertView } from '../../../shared/alerts';
import { alertSince } from '../store/alerts';
import { fmtAgo, fmtAlertValue, fmtCount, fmtInstantTitle } from '../lib/format';
import { useNow } from '../lib/hooks';
import { useApp } from '../store/appStore';
import { alertWindow, metricOfAlert } from '../../../shared/triage';
import { triageHash } from '../views/triageModel';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';
import { RunbookLink } from './RunbookLink';
import { UntrustedText } from './UntrustedText';
import { sentencePlainText } from '../lib/sentenceParts';
import { alertSentenceValues, Sentence } from './Sentence';

export type AlertAction = 'ack' | 'silence' | 'note';

interface Props {
  alerts: AlertView[];
  limit?: number;
  compact?: boolean;
  emptyText?: string;
  /** Said under the table instead of the link to the Alerts view when `limit` leaves alerts out (the Alerts view itself). */
  moreNote?: string;
  /** Shows an Actions column (acknowledge, silence, resolve note) in the full table. */
  onAction?: (action: AlertAction, alert: AlertView) => void;
  /** The alert a notification's click or a link opened: its row marked, scrolled to and focused, shown even past `limit`. */
  selectedKey?: string | null;
  /** Changes at each notification click: the selected row is scrolled to again (the same alert clicked twice). */
  openings?: number;
}

export const AlertList = memo(function AlertList({ alerts, limit, compact, emptyText, moreNote, onAction, selectedKey = null, openings = 0 }: Props) {
  const actions = Boolean(onAction) && !compact;
  const wallNow = useNow(1000);
  // Alert times are event times: in a replay, "ago" is measured on the replay's clock (the
  // newest event time), never on the wall clock (a capture from last month is not "just now").
  const replayClock = useApp((s) => (s.snapshot?.session === 'replay' ? s.snapshot.clock : null));
  const now = replayClock ?? wallNow;
  const firstShown = limit ? alerts.slice(0, limit) : alerts;
  const selected = selectedKey === null ? undefined : alerts.find((a) => a.key === selectedKey);
  // Past the rows drawn (a per-merchant rule firing for hundreds): drawn after them all the same.
  const shown = selected && !firstShown.includes(selected) ? [...firstShown, selected] : firstShown;
  const selectedDrawn = selected !== undefined;
  const selectedRow = useRef<HTMLTableRowElement | null>(null);
  // Once per selection (or notification click), and again when its row appears (the list was
  // not loaded yet): not at each redraw (every second), which would pull the operator back while they scroll.
  useEffect(() => {
    const row = selectedRow.current;
    if (!row) return;
    row.scrollIntoView({ block: 'center' });
    row.focus({ preventScroll: true });
  }, [selectedKey, selectedDrawn, openings]);
  if (alerts.length === 0) {
    return (
      <div className="empty" data-testid="alerts-empty">
        {emptyText ?? 'No alerts'}
      </div>
    );
  }
  return (
    <>
      <table className={`table alerts-table${compact ? ' compact' : ''}`} data-testid="alerts-table">
        <caption className="sr-only">Alerts, firing and pending first</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            {compact ? null : <th scope="col">Severity</th>}
            <th scope="col">{compact ? 'Rule · labels' : 'Rule'}</th>
            {compact ? null : <th scope="col">Labels</th>}
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col">Since</th>
            {actions ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => {
            const since = alertSince(a);
            const labels = Object.entries(a.labels ?? {}).map(([k, v]) => (
              <span key={k} className="chip">
                {k}=<UntrustedText text={v} />
              </span>
            ));
            const severity = (
              <span className={`sev sev-${a.severity}`} data-testid="alert-severity" title={`severity: ${a.severity}`}>
                {compact ? <span className="sr-only">{a.severity}</span> : a.severity}
              </span>
            );
            const isSelected = a === selected;
            return (
              <tr
                key={a.key}
                ref={isSelected ? selectedRow : undefined}
                aria-current={isSelected ? 'true' : undefined}
                tabIndex={isSelected ? -1 : undefined}
                data-testid="alert-row"
                data-key={a.key}
                data-state={a.state}
                data-severity={a.severity}
                data-rule={a.rule}
                className={`alert-row state-${a.state}`}
                title={sentencePlainText(a.summary, alertSentenceValues(a))}
              >
                <td className="nowrap">
                  <span className={`badge state-badge state-${a.state}`} data-testid="alert-state">
                    {a.state}
                  </span>
                  {a.silenced ? (
                    <span className="badge badge-muted" data-testid="alert-silenced" title="Silenced: evaluated but not notified">
                      {compact ? 'muted' : 'silenced'}
                    </span>
                  ) : null}
                  {a.acknowledged ? (
                    <span className="badge badge-muted" data-testid="alert-acked" title={`Acknowledged by ${a.acknowledged.by}${a.acknowledged.note ? `: ${a.acknowledged.note}` : ''}`}>
                      ack
                    </span>
                  ) : null}
                </td>
                {compact ? null : <td>{severity}</td>}
                <td className="rule" data-testid="alert-rule">
                  <div className="rule-name">
                    {compact ? severity : null}
                    {a.rule}
                  </div>
                  {/* In the compact list too: a row's title is reachable neither by the keyboard nor by a screen reader. */}
                  {a.summary ? (
                    <div className={`muted small${compact ? ' alert-summary' : ''}`}>
                      <Sentence text={a.summary} values={alertSentenceValues(a)} />
                    </div>
                  ) : null}
                  {!compact && a.state !== 'normal' ? (
                    <a
                      className="btn btn-small"
                      data-testid="alert-explain"
                      href={(() => {
                        const w = alertWindow(a, now);
                        return triageHash(w.from, w.to, metricOfAlert(a));
                      })()}
                    >
                      Explain
                    </a>
                  ) : null}
                  {!compact && a.description ? (
                    <div className="small alert-description" data-testid="alert-description">
                      <bdi>{withFormatCharactersShown(a.description)}</bdi>
                    </div>
                  ) : null}
                  {compact ? null : <RunbookLink url={a.runbookUrl} rule={a.rule} />}
                  {compact && labels.length ? <div className="labels" data-testid="alert-labels">{labels}</div> : null}
                </td>
                {compact ? null : (
                  <td className="labels" data-testid="alert-labels">
                    {labels}
                  </td>
                )}
                <td className="num mono" data-testid="alert-value">
                  {fmtAlertValue(a.value, a.metric)}
                </td>
                <td className="nowrap" title={fmtInstantTitle(since)} data-testid="alert-since">
                  {fmtAgo(since, now)}
                </td>
                {actions ? (
                  <td className="nowrap alert-actions">
                    {a.state !== 'resolved' && a.state !== 'normal' ? (
                      <button type="button" className="btn btn-small" aria-label={`${a.acknowledged ? 'Re-ack' : 'Ack'}: acknowledge ${a.rule}`} data-testid="alert-ack" onClick={() => onAction!('ack', a)}>
                        {a.acknowledged ? 'Re-ack' : 'Ack'}
                      </button>
                    ) : null}
                    <button type="button" className="btn btn-small" aria-label={`Silence ${a.rule}`} data-testid="alert-silence" onClick={() => onAction!('silence', a)}>
                      Silence
                    </button>
                    <button type="button" className="btn btn-small btn-ghost" aria-label={`Resolve note for ${a.rule}`} data-testid="alert-note" onClick={() => onAction!('note', a)}>
                      Note
                    </button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {limit && alerts.length > limit ? (
        <div className="more" data-testid="alerts-more">
          {moreNote ?? <a href="#/alerts">{fmtCount(alerts.length - limit)} more in Alerts</a>}
        </div>
      ) : null}
    </>
  );
});
