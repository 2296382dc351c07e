// Dead letters (issue 15): the watched dead-letter queues, a queue's messages decoded as the
// explorer decodes them with their x-death history, a dry run (the selection replayed into a
// sandbox session), a redrive home after a confirmation that names the count and the targets,
// and the redrive audit log. Everything goes through the `deadLetters` service; read-only
// mode is the engine's to decide, and the view says so before anyone tries.
import { useCallback, useEffect, useId, useState } from 'react';
import type { ApiResults } from '../../../shared/api';
import type { DeadLetterMessage, DeadLetterQueueView, RedriveAuditEntry } from '../../../shared/deadLetters';
import { getClient } from '../api/client';
import { fmtCount, fmtCountText, fmtDateTime, fmtInstantTitle, fmtZoneSpan } from '../lib/format';
import { message as errorText, Modal } from '../components/Modal';
import { DASH, dryRunStatus, eventColumns, exchangeLabel, type LinePart, NAMED_QUEUES_KEY, parseNamedQueues, redriveConfirmation, redrivePlanText, redriveStatus, selectedCopies, targetLabel } from './deadLettersModel';
import './DeadLetters.css';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';
import { ReadFailed } from '../components/ReadFailed';
import { Sentence } from '../components/Sentence';
import { type CutAt, UntrustedText } from '../components/UntrustedText';

type DryRunResult = ApiResults['deadLetters.dryRun'];

const REASON_TEXT: Record<DeadLetterQueueView['reasons'][number], string> = {
  name: 'its name',
  'dead-letter-exchange': 'x-dead-letter-exchange',
  named: 'named by you',
};

function readNamed(): string[] {
  try {
    return parseNamedQueues(window.localStorage.getItem(NAMED_QUEUES_KEY));
  } catch {
    return [];
  }
}

export function DeadLetters() {
  const [named, setNamed] = useState<string[]>(readNamed);
  const [queues, setQueues] = useState<DeadLetterQueueView[] | null>(null);
  const [readOnly, setReadOnly] = useState(false);
  const [queuesError, setQueuesError] = useState<string | null>(null);
  const [queue, setQueue] = useState<string | null>(null);
  const [messages, setMessages] = useState<DeadLetterMessage[] | null>(null);
  const [browseError, setBrowseError] = useState<string | null>(null);
  /** Copy ids (`DeadLetterMessage.copyId`): a row is one message, even when another holds its id. */
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dry, setDry] = useState<DryRunResult | null>(null);
  const [busy, setBusy] = useState<'dry' | 'redrive' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<LinePart[]>([]);
  const [audit, setAudit] = useState<RedriveAuditEntry[] | null>(null);
  const [auditError, setAuditError] = useState<string | null>(null);

  const loadQueues = useCallback(async (names: string[]) => {
    try {
      const res = await getClient().invoke('deadLetters.queues', { named: names });
      setQueues(res.queues);
      setReadOnly(res.readOnly);
      setQueuesError(null);
    } catch (err) {
      setQueuesError(errorText(err));
    }
  }, []);
  const loadAudit = useCallback(async () => {
    try {
      setAudit((await getClient().invoke('deadLetters.audit', { limit: 200 })).entries);
      setAuditError(null);
    } catch (err) {
      setAuditError(errorText(err));
    }
  }, []);
  const browse = useCallback(async (name: string) => {
    setQueue(name);
    setDry(null);
    setActionError(null);
    try {
      const res = await getClient().invoke('deadLetters.browse', { queue: name, count: 200 });
      setMessages(res.messages);
      setSelected(new Set());
      setBrowseError(null);
    } catch (err) {
      setMessages(null);
      setBrowseError(errorText(err));
    }
  }, []);

  useEffect(() => {
    void loadQueues(named);
  }, [loadQueues, named]);
  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);

  const watch = (name: string) => {
    const next = parseNamedQueues(JSON.stringify([...named, name]));
    try {
      window.localStorage.setItem(NAMED_QUEUES_KEY, JSON.stringify(next));
    } catch {
      // Private mode: the list lasts for this page only.
    }
    setNamed(next);
  };

  const { chosen, request: selection } = selectedCopies(messages ?? [], selected);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = messages !== null && messages.length > 0 && chosen.length === messages.length;

  const runDry = async () => {
    if (!queue || chosen.length === 0) return;
    setBusy('dry');
    setActionError(null);
    try {
      setDry(await getClient().invoke('deadLetters.dryRun', { queue, ...selection }));
      setStatus(dryRunStatus(chosen.length));
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const redrive = async () => {
    if (!queue) return;
    setConfirming(false);
    setBusy('redrive');
    setActionError(null);
    try {
      const result = await getClient().invoke('deadLetters.redrive', { queue, ...selection });
      setStatus(redriveStatus(queue, result));
      await browse(queue);
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setBusy(null);
      void loadAudit();
      void loadQueues(named);
    }
  };

  const confirmation = queue ? redriveConfirmation(queue, chosen) : null;
  // The browsed queue's name is the broker's: drawn as the list draws it.
  const queueShown = queue ? <UntrustedText className="mono queue-name" text={queue} cut="middle" /> : null;

  return (
    <div className="view view-dead-letters" data-testid="dead-letters-view">
      <div className="view-head">
        <h1>Dead letters</h1>
      </div>
      {readOnly ? (
        <div className="banner banner-warn" role="status" data-testid="dead-letters-read-only">
          <strong>Read-only mode</strong>
          <span>Redrive is refused: browse and dry runs only. Restart payops without --read-only (or PAYOPS_READ_ONLY) to send dead letters home.</span>
        </div>
      ) : null}
      {/* The queue in it is a <bdi>, not isolation marks in the text: a screen reader reads the name, nothing around it. */}
      <div className="sr-only" role="status" aria-live="polite" data-testid="dead-letters-status">
        <Line parts={status} />
      </div>
      {status.length ? (
        <p className="dlq-status">
          <Line parts={status} />
        </p>
      ) : null}

      <section className="panel" aria-label="Dead-letter queues" data-testid="dlq-queues">
        <header className="panel-head">
          <h2>Dead-letter queues</h2>
          <button type="button" className="btn btn-small panel-link" onClick={() => void loadQueues(named)}>
            Refresh
          </button>
        </header>
        {queuesError ? <ReadFailed what="Dead-letter queues" error={queuesError} earlier={Boolean(queues?.length)} onRetry={() => void loadQueues(named)} testId="dlq-queues-error" /> : null}
        <WatchQueueForm onWatch={watch} />
        {queues === null && !queuesError ? <div className="empty">Loading…</div> : null}
        {/* An earlier read's "none found" is not what the failed one would have said. */}
        {queues !== null && queues.length === 0 && !queuesError ? <div className="empty">No dead-letter queue found in this vhost. Name one above to watch it.</div> : null}
        {queues !== null && queues.length > 0 ? <DeadLetterQueueTable queues={queues} current={queue} onBrowse={(name) => void browse(name)} /> : null}
      </section>

      {queue ? (
        <section className="panel" aria-label={`Messages of ${withFormatCharactersShown(queue)}`} data-testid="dlq-messages">
          <header className="panel-head">
            <h2>Messages of {queueShown}</h2>
            <span className="muted small">browsed without consuming (requeued)</span>
          </header>
          <div className="toolbar dlq-toolbar">
            <label className="dlq-check">
              <input type="checkbox" checked={allSelected} disabled={!messages?.length} onChange={() => setSelected(allSelected ? new Set() : new Set((messages ?? []).map((m) => m.copyId)))} data-testid="dlq-select-all" />
              Select all
            </label>
            <span className="muted small" data-testid="dlq-selected-count">
              {chosen.length} of {messages?.length ?? 0} selected
            </span>
            <button type="button" className="btn btn-small" disabled={chosen.length === 0 || busy !== null} onClick={() => void runDry()} data-testid="dlq-dry-run">
              {busy === 'dry' ? 'Running…' : 'Dry run'}
            </button>
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={chosen.length === 0 || busy !== null || readOnly}
              aria-describedby={readOnly ? 'dlq-read-only-note' : undefined}
              onClick={() => setConfirming(true)}
              data-testid="dlq-redrive"
            >
              {busy === 'redrive' ? 'Redriving…' : 'Redrive…'}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => void browse(queue)}>
              Reload
            </button>
            {readOnly ? (
              <span id="dlq-read-only-note" className="small dlq-refused" data-testid="dlq-redrive-refused">
                Redrive refused: read-only mode
              </span>
            ) : null}
          </div>
          {browseError ? (
            <div className="error-text small" role="alert" data-testid="dlq-browse-error">
              Cannot browse {queueShown}: <Sentence text={browseError} values={[queue]} />
            </div>
          ) : null}
          {actionError ? (
            <div className="error-text small" role="alert" data-testid="dlq-action-error">
              <Sentence text={actionError} values={[queue]} />
            </div>
          ) : null}
          {messages !== null && messages.length === 0 ? <div className="empty">{queueShown} is empty.</div> : null}
          {messages !== null && messages.length > 0 ? <MessageTable messages={messages} selected={selected} onToggle={toggle} /> : null}
        </section>
      ) : null}

      {dry ? <DryRunPanel result={dry} /> : null}
      <AuditPanel entries={audit} error={auditError} onRefresh={() => void loadAudit()} />

      {confirming && confirmation && queue ? (
        <Modal title={<Line parts={confirmation.title} />} onClose={() => setConfirming(false)} testId="dlq-confirm">
          <div className="dlq-confirm-body">
            <p>
              Each message is re-published to the exchange and routing key of its first death, with publisher confirms, and removed from {queueShown} only after the broker
              confirmed it. Every step goes to the audit log.
            </p>
            <p>Targets:</p>
            <ul data-testid="dlq-confirm-targets">
              {confirmation.targets.map((t, i) => (
                <li key={i} className="mono">
                  <Line parts={[t.target, ` (${fmtCount(t.count)})`]} />
                </li>
              ))}
            </ul>
            {confirmation.staying ? (
              <p className="muted">
                <Line parts={confirmation.staying} />
              </p>
            ) : null}
            <div className="dlq-confirm-actions">
              <button type="button" className="btn" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" className="btn btn-danger" disabled={confirmation.count === 0} onClick={() => void redrive()} data-testid="dlq-confirm-redrive">
                Redrive {fmtCountText(confirmation.count, 'message')}
              </button>
            </div>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}

/** A line of the view's words with the broker's names in it, each name drawn as the queue list draws it. */
function Line({ parts }: { parts: readonly LinePart[] }) {
  return (
    <>
      {parts.map((p, i) => (typeof p === 'string' ? p : <UntrustedText key={i} className={p.cut === 'middle' ? 'queue-name' : undefined} text={p.untrusted} cut={p.cut} />))}
    </>
  );
}

/** The watched dead-letter queues, each a button that browses it. */
export function DeadLetterQueueTable({ queues, current, onBrowse }: { queues: readonly DeadLetterQueueView[]; current: string | null; onBrowse: (name: string) => void }) {
  return (
    <table className="table dlq-table">
      <caption className="sr-only">Dead-letter queues</caption>
      <thead>
        <tr>
          <th scope="col">Queue</th>
          <th scope="col" className="num">
            Messages
          </th>
          <th scope="col">Why it is watched</th>
          <th scope="col">Dead-lettered from</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((q) => (
          <tr key={q.name} data-testid={`dlq-queue-${q.name}`} aria-current={q.name === current ? 'true' : undefined}>
            <td>
              <button type="button" className="btn btn-small btn-ghost dlq-name" onClick={() => onBrowse(q.name)} aria-label={`Browse ${withFormatCharactersShown(q.name)}`}>
                <UntrustedText text={q.name} cut="middle" />
              </button>
            </td>
            <td className="num mono">{q.messages === null ? DASH : fmtCount(q.messages)}</td>
            <td className="small">{q.reasons.map((r) => REASON_TEXT[r]).join(', ')}</td>
            <td className="mono small">
                {q.feeders.length ? <UntrustedList values={q.feeders} cut="middle" /> : DASH}
              </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WatchQueueForm({ onWatch }: { onWatch: (name: string) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  return (
    <form
      className="toolbar dlq-watch"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onWatch(text.trim());
        setText('');
      }}
    >
      <label htmlFor={id} className="small">
        Watch a queue by name
      </label>
      <input id={id} className="dlq-watch-input" value={text} maxLength={255} onChange={(e) => setText(e.target.value)} data-testid="dlq-watch-input" />
      <button type="submit" className="btn btn-small" disabled={!text.trim()}>
        Watch
      </button>
    </form>
  );
}

export function MessageTable({ messages, selected, onToggle }: { messages: DeadLetterMessage[]; selected: Set<string>; onToggle: (copyId: string) => void }) {
  const times = messages.flatMap((m) => (m.decoded.ok && typeof m.decoded.timeMs === 'number' ? [m.decoded.timeMs] : []));
  return (
    <table className="table dlq-table dlq-messages-table">
      <caption className="sr-only">Dead letters in the queue</caption>
      <colgroup>
        <col className="dlq-w-check" />
        <col className="dlq-w-id" />
        <col className="dlq-w-type" />
        <col className="dlq-w-payment" />
        <col className="dlq-w-amount" />
        <col className="dlq-w-time" />
        <col className="dlq-w-death" />
        <col className="dlq-w-home" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">
            <span className="sr-only">Selected</span>
          </th>
          <th scope="col">Message</th>
          <th scope="col">Type</th>
          <th scope="col">Payment · merchant</th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Time ({fmtZoneSpan(times, Date.now())})</th>
          <th scope="col">x-death (newest first)</th>
          <th scope="col">Home</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m, i) => {
          const c = eventColumns(m);
          return (
            // Keyed by position too: a queue may hold two messages with one id.
            <tr key={`${i}:${m.copyId}`} data-testid="dlq-message" data-id={m.id} data-copy={m.copyId} aria-selected={selected.has(m.copyId)}>
              <td>
                <input type="checkbox" checked={selected.has(m.copyId)} onChange={() => onToggle(m.copyId)} aria-label={`Select ${withFormatCharactersShown(m.id)}`} data-testid={`dlq-select-${m.id}`} />
              </td>
              <td className="mono small" title={withFormatCharactersShown(m.copyId)}>
                <UntrustedText text={m.id} />
              </td>
              <td className={m.decoded.ok ? 'small dlq-type' : 'small error-text'}>{m.decoded.ok ? <BreakAtDots text={c.type} /> : <Sentence text={c.type} />}</td>
              <td className="mono small">
                {m.decoded.ok && m.decoded.paymentId ? <UntrustedText text={m.decoded.paymentId} /> : c.paymentId}
                <br />
                {m.decoded.ok && m.decoded.merchantId ? <UntrustedText text={m.decoded.merchantId} /> : c.merchantId}
              </td>
              <td className="num mono nowrap">{c.amount}</td>
              <td className="mono small" title={fmtInstantTitle(c.timeMs)}>
                {c.timeMs === null ? DASH : fmtDateTime(c.timeMs)}
              </td>
              <td className="small">
                {m.deaths.length === 0 ? (
                  <span className="muted">none (not dead-lettered by the broker)</span>
                ) : (
                  <ul className="dlq-deaths">
                    {m.deaths.map((d, i) => (
                      <li key={i}>
                        <strong>
                          <Sentence text={d.reason} />
                        </strong> ×{d.count} in <UntrustedText className="mono" text={d.queue} /> from <UntrustedText className="mono" text={exchangeLabel(d.exchange)} /> /{' '}
                        <span className="mono">
                          {d.routingKeys.map((k, j) => (
                            <span key={j}>
                              {j ? ', ' : ''}
                              <UntrustedText text={k} />
                            </span>
                          ))}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="mono small">{m.origin ? <UntrustedText text={targetLabel(m.origin)} /> : DASH}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** An event type that may wrap after its dots ("payment." / "authorized"), never inside a word. */
function BreakAtDots({ text }: { text: string }) {
  const parts = text.split('.');
  return (
    <>
      {parts.map((p, i) => (
        <span key={i}>
          {p}
          {i < parts.length - 1 ? (
            <>
              .<wbr />
            </>
          ) : null}
        </span>
      ))}
    </>
  );
}

export function DryRunPanel({ result }: { result: DryRunResult }) {
  const { plan, sandbox, missing } = result;
  return (
    <section className="panel" aria-label="Dry run" data-testid="dlq-dry-result">
      <header className="panel-head">
        <h2>Dry run: {fmtCountText(sandbox.messages, 'message')} replayed into a sandbox session</h2>
      </header>
      <div className="dlq-dry">
        <dl className="dlq-figures">
          <div>
            <dt>Would store</dt>
            <dd data-testid="dlq-dry-stored">{fmtCount(sandbox.stored)}</dd>
          </div>
          <div>
            <dt>Duplicates</dt>
            <dd data-testid="dlq-dry-duplicates">{fmtCount(sandbox.duplicates)}</dd>
          </div>
          <div>
            <dt>Would quarantine</dt>
            <dd data-testid="dlq-dry-quarantined">{fmtCount(sandbox.quarantined.length)}</dd>
          </div>
          <div>
            <dt>Alerts that would fire</dt>
            <dd data-testid="dlq-dry-alerts">{fmtCount(sandbox.alerts.length)}</dd>
          </div>
        </dl>
        <div className="dlq-dry-lists small">
          <p>
            Stored by type:{' '}
            {Object.keys(sandbox.storedByType).length
              ? Object.entries(sandbox.storedByType).map(([t, n], i) => (
                  <span key={t}>
                    {i ? ', ' : ''}
                    <UntrustedText text={t} /> {fmtCount(n)}
                  </span>
                ))
              : 'nothing'}
            {sandbox.duplicateIds.length ? (
              <>
                . Already held by the console (or twice in the selection): <UntrustedList values={sandbox.duplicateIds} />
              </>
            ) : null}
            .
          </p>
          {sandbox.quarantined.length ? (
            <ul>
              {sandbox.quarantined.map((q) => (
                <li key={q.id}>
                  <UntrustedText className="mono" text={q.id} />: <Sentence text={q.reason} values={[q.id]} />
                </li>
              ))}
            </ul>
          ) : null}
          <p>
            {fmtCountText(sandbox.rules, 'rule')} evaluated on the selection:{' '}
            {sandbox.alerts.length ? '' : 'none would fire.'}
          </p>
          {sandbox.alerts.length ? (
            <ul data-testid="dlq-dry-alert-list">
              {sandbox.alerts.map((a) => (
                <li key={`${a.rule}|${a.group}`}>
                  <strong>{a.rule}</strong> ({a.severity})
                  {a.group ? (
                    <>
                      {' '}
                      <Sentence text={a.group} />
                    </>
                  ) : null}
                  : <Sentence text={a.summary} values={[a.rule]} />
                </li>
              ))}
            </ul>
          ) : null}
          <p>
            <Line parts={redrivePlanText(plan)} />
          </p>
          {missing.length ? (
            <p className="error-text">
              No longer in the queue: <UntrustedList values={missing} />
            </p>
          ) : null}
        </div>
      </div>
    </section>
  );
}

/** Names or ids from the broker or the producer, each isolated and cut, joined by commas. */
function UntrustedList({ values, cut }: { values: readonly string[]; cut?: CutAt }) {
  return (
    <>
      {values.map((v, i) => (
        <span key={i}>
          {i ? ', ' : ''}
          <UntrustedText text={v} cut={cut} />
        </span>
      ))}
    </>
  );
}

export function AuditPanel({ entries, error, onRefresh }: { entries: RedriveAuditEntry[] | null; error: string | null; onRefresh: () => void }) {
  return (
    <section className="panel" aria-label="Redrive audit log" data-testid="dlq-audit">
      <header className="panel-head">
        <h2>Redrive audit log</h2>
        <button type="button" className="btn btn-small panel-link" onClick={onRefresh}>
          Refresh
        </button>
      </header>
      {error ? (
        <div className="error-text small" role="alert">
          Cannot read the audit log: {error.replace(/\.+$/, '')}. Refresh to try again.
        </div>
      ) : null}
      {entries !== null && entries.length === 0 ? <div className="empty">No redrive yet.</div> : null}
      {entries !== null && entries.length > 0 ? (
        <table className="table dlq-table">
          <caption className="sr-only">Redrive audit log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When ({fmtZoneSpan(entries.map((e) => e.at), Date.now())})</th>
              <th scope="col">Who</th>
              <th scope="col">Message</th>
              <th scope="col">From → to</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.redriveId}|${e.messageId}|${e.step}|${i}`} data-testid="dlq-audit-row" data-step={e.step} data-message={e.messageId}>
                <td className="mono small" title={fmtInstantTitle(e.at)}>
                  {fmtDateTime(e.at)}
                </td>
                <td className="small">{e.actor}</td>
                <td className="mono small">{e.messageId === '*' ? 'the whole selection' : <UntrustedText text={e.messageId} />}</td>
                <td className="mono small">
                  <UntrustedText text={e.fromQueue} /> → {e.toExchange === null ? DASH : <UntrustedText text={targetLabel({ exchange: e.toExchange, routingKey: e.toRoutingKey ?? '' })} />}
                </td>
                <td className="small">
                  <strong>{e.step}</strong>
                  {e.detail ? (
                    <>
                      : <Sentence text={e.detail} values={[e.fromQueue]} />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
