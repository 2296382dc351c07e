// Silences: which alerts are muted, until when, by whom and why; create one by matchers
// or end one early. Silenced alerts keep evaluating and show as silenced.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { AlertSilence, AlertView } from '../../../shared/alerts';
import { getClient } from '../api/client';
import { fmtDateTime, fmtInstantTitle, fmtZoneSpan } from '../lib/format';
import { useApp } from '../store/appStore';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';
import { silenceMatches } from './silenceMatch';
import { message, Modal } from '../components/Modal';
import { SilenceForm } from './AlertsActions';
import { ReadFailed } from '../components/ReadFailed';
import { MatcherList } from '../components/UntrustedText';

export function AlertsSilences({ onStatus }: { onStatus: (line: ReactNode) => void }) {
  const alerts = useApp((s) => s.alerts);
  const clock = useApp((s) => s.snapshot?.clock ?? null);
  const [silences, setSilences] = useState<AlertSilence[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expireError, setExpireError] = useState<ReactNode>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      setSilences(await getClient().invoke('alerts.silences', {}));
      setError(null);
    } catch (err) {
      setError(message(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const expire = async (s: AlertSilence) => {
    setExpireError(null);
    try {
      const res = await getClient().invoke('alerts.expireSilence', { id: s.id });
      onStatus(res.ok ? silenceEndedLine(s) : 'That silence had already ended.');
    } catch (err) {
      setExpireError(
        <>
          Could not end the silence <MatcherList matchers={s.matchers} />: {message(err)}
        </>,
      );
    }
    await load();
  };

  const now = clock ?? Date.now();
  return (
    <section role="region" aria-label="Silences" className="panel" data-testid="alerts-silences">
      <header className="panel-head">
        <h2>Silences</h2>
        <button type="button" className="btn btn-small" onClick={() => setCreating(true)} data-testid="silence-new">
          New silence
        </button>
      </header>
      {expireError ? (
        <div className="error-text small" role="alert" data-testid="silence-expire-error">
          {expireError}
        </div>
      ) : null}
      <SilencesNotice silences={silences} error={error} onRetry={() => void load()} />
      {silences?.length ? <SilencesTable silences={silences} alerts={alerts} now={now} onExpire={(s) => void expire(s)} /> : null}
      {creating ? (
        <Modal title="New silence" onClose={() => setCreating(false)} testId="silence-dialog">
          <SilenceForm
            initial={[]}
            preview={alerts.filter((a) => a.state !== 'resolved' && a.state !== 'normal')}
            onCancel={() => setCreating(false)}
            onDone={(text) => {
              setCreating(false);
              onStatus(text);
              void load();
            }}
          />
        </Modal>
      ) : null}
    </section>
  );
}

/** The line said when a silence is ended early: its matchers cut as the table cuts them (the whole in their title). */
export function silenceEndedLine(s: Pick<AlertSilence, 'matchers'>): ReactNode {
  return (
    <>
      Silence <MatcherList matchers={s.matchers} /> ended.
    </>
  );
}

/**
 * A silence as the table names it, in its ID column and its "End silence" button: the first 8
 * characters of its id (a UUID), as Alertmanager's UI names a silence. Never its matchers: their
 * values come from the events (a merchant id that is a card number, an e-mail address), shown cut
 * in the table, and a screen reader read the button's name whole at every row.
 */
export function silenceShortId(id: string): string {
  return withFormatCharactersShown(Array.from(id).slice(0, 8).join(''));
}

/** Above the table: why the list could not be read (and that the rows are an earlier read's), that it is on its way, or that there are none. */
export function SilencesNotice({ silences, error, onRetry }: { silences: AlertSilence[] | null; error: string | null; onRetry: () => void }) {
  if (error) return <ReadFailed what="Silences" error={error} earlier={Boolean(silences?.length)} onRetry={onRetry} testId="silences-error" />;
  if (silences === null) return <div className="empty">Loading…</div>;
  if (silences.length === 0) {
    return (
      <div className="empty" data-testid="silences-empty">
        No silences.
      </div>
    );
  }
  return null;
}

/** The silences, each with when it ends (local, the zone in the heading and the UTC instant in the title) and what it mutes now. */
export function SilencesTable({ silences, alerts, now, onExpire }: { silences: AlertSilence[]; alerts: AlertView[]; now: number; onExpire: (s: AlertSilence) => void }) {
  const zone = fmtZoneSpan(
    silences.map((s) => s.expiredAt ?? s.endsAt),
    now,
  );
  return (
    <table className="table" data-testid="silences-table">
      <caption className="sr-only">Silences</caption>
      <thead>
        <tr>
          <th scope="col">ID</th>
          <th scope="col">Matchers</th>
          <th scope="col">Ends ({zone})</th>
          <th scope="col">By</th>
          <th scope="col">Comment</th>
          <th scope="col">Mutes now</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {silences.map((s) => {
          const active = s.expiredAt === null && s.endsAt > now;
          const mutes = active ? alerts.filter((a) => a.state !== 'resolved' && a.state !== 'normal' && silenceMatches(s.matchers, a)) : [];
          return (
            <tr key={s.id} data-testid="silence-row" data-active={active}>
              <td className="mono small" title={s.id} data-testid="silence-id">
                {silenceShortId(s.id)}
              </td>
              <td className="mono small">
                <MatcherList matchers={s.matchers} />
              </td>
              <td className="nowrap" title={fmtInstantTitle(s.expiredAt ?? s.endsAt)}>
                {s.expiredAt !== null ? `ended ${fmtDateTime(s.expiredAt)}` : active ? fmtDateTime(s.endsAt) : `ended ${fmtDateTime(s.endsAt)}`}
              </td>
              <td>{s.createdBy}</td>
              <td className="small">{s.comment || <span className="muted">—</span>}</td>
              <td className="small">{mutes.length ? mutes.map((a) => a.rule).join(', ') : <span className="muted">nothing</span>}</td>
              <td>
                {active ? (
                  <button type="button" className="btn btn-small btn-warn" aria-label={`End silence ${silenceShortId(s.id)}`} onClick={() => onExpire(s)} data-testid="silence-expire">
                    End now
                  </button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
