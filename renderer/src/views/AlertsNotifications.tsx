// The notification log: what was sent to which contact point, retried, failed, muted,
// inhibited, or only "would notify" (replays, demo). Refreshed whenever an alert arrives.
import { useCallback, useEffect, useState } from 'react';
import { droppedNotificationsText, type NotificationLogEntry } from '../../../shared/notifications';
import { getClient } from '../api/client';
import { fmtDateTime, fmtInstantTitle, fmtZoneSpan } from '../lib/format';
import { Sentence } from '../components/Sentence';
import { LabelList } from '../components/UntrustedText';
import { useApp } from '../store/appStore';
import { ownLabels } from '../store/alerts';
import { message } from '../components/Modal';
import { ReadFailed } from '../components/ReadFailed';

type NotificationLog = { entries: NotificationLogEntry[]; routing: boolean; dropped?: number };

const OUTCOME_TEXT: Record<NotificationLogEntry['outcome'], string> = {
  sent: 'sent',
  failed: 'failed',
  muted: 'muted (mute timing)',
  inhibited: 'inhibited',
  silenced: 'silenced',
  would_notify: 'would notify',
};

export function AlertsNotifications() {
  const alerts = useApp((s) => s.alerts);
  const [log, setLog] = useState<NotificationLog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setLog(await getClient().invoke('notifications.log', { limit: 200 }));
      setError(null);
    } catch (err) {
      setError(message(err));
    }
  }, []);
  // A new alert may have been routed: read the log again (deliveries take a moment; the
  // Refresh button is there for their retries).
  useEffect(() => {
    void load();
  }, [load, alerts]);

  return (
    <section role="region" aria-label="Notifications" className="panel" data-testid="alerts-notifications">
      <header className="panel-head">
        <h2>Notifications</h2>
        <button type="button" className="btn btn-small" onClick={() => void load()} data-testid="notifications-refresh">
          Refresh
        </button>
      </header>
      <NotificationLogNotice log={log} error={error} onRetry={() => void load()} />
      {log?.entries.length ? <NotificationLogTable entries={log.entries} /> : null}
    </section>
  );
}

/**
 * Above the table: why the log could not be read (and that the rows are an earlier read's), that
 * it is on its way, or that it is empty and why; and how many notifications the evaluator dropped
 * before routing (its queue overflowed), which no row records.
 */
export function NotificationLogNotice({ log, error, onRetry }: { log: NotificationLog | null; error: string | null; onRetry: () => void }) {
  const dropped = log?.dropped ? (
    <div className="banner banner-warn" role="status" data-testid="notifications-dropped">
      {droppedNotificationsText(log.dropped)}.
    </div>
  ) : null;
  if (error) return <ReadFailed what="Notification log" error={error} earlier={Boolean(log?.entries.length)} onRetry={onRetry} testId="notifications-error" />;
  if (log === null) return <div className="empty">Loading…</div>;
  if (log.entries.length === 0) {
    return (
      <>
        {dropped}
        <div className="empty" data-testid="notifications-empty">
          {log.routing ? 'Nothing notified yet.' : 'No contact points: alerts show here in the console only. Add contactPoints and policies to the rules file (see RULES.md).'}
        </div>
      </>
    );
  }
  return dropped;
}

/** The log's rows, newest first: times local with the zone in the heading, label values isolated. */
export function NotificationLogTable({ entries }: { entries: NotificationLogEntry[] }) {
  return (
    <table className="table" data-testid="notifications-table">
      <caption className="sr-only">Notification log, newest first</caption>
      <thead>
        <tr>
          <th scope="col">At ({fmtZoneSpan(entries.map((e) => e.at), Date.now())})</th>
          <th scope="col">Contact point</th>
          <th scope="col">Outcome</th>
          <th scope="col">Status</th>
          <th scope="col">Rule</th>
          <th scope="col">Alerts</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-testid="notification-row" data-outcome={e.outcome}>
            <td className="nowrap" title={fmtInstantTitle(e.at)}>
              {fmtDateTime(e.at)}
            </td>
            <td>
              {e.contactPoint} <span className="muted small">{e.contactType}</span>
            </td>
            <td className={e.outcome === 'failed' ? 'error-text' : undefined}>
              {OUTCOME_TEXT[e.outcome]}
              {e.attempt > 0 ? <span className="muted small"> attempt {e.attempt}/{e.maxAttempts}</span> : null}
            </td>
            <td>{e.status}</td>
            <td className="mono small">{e.rule}</td>
            <td className="small">
              {e.alerts.map((a, i) => {
                const own = ownLabels(a.labels);
                return (
                  <span key={i}>
                    {i ? '; ' : ''}
                    {Object.keys(own).length ? <LabelList labels={own} /> : a.rule}
                  </span>
                );
              })}
            </td>
            <td className="small">{e.error !== null ? <Sentence text={e.error} /> : e.httpStatus !== null ? `HTTP ${e.httpStatus}` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
