// Broker connection status, ingest health and watched queues. Always live (not frozen
// by Pause): an operator must see a lost connection at once.
import { memo } from 'react';
import { useApp } from '../store/appStore';
import { useNow } from '../lib/hooks';
import { UntrustedText } from './UntrustedText';
import { Sentence } from './Sentence';
import { countNoun } from '../../../shared/countText';
import type { ConsoleQueueInfo, QueueDepth } from '../../../shared/metrics';
import { fmtAgo, fmtCount, fmtCountText, fmtDateTime, fmtDateTimeZone, fmtDuration, fmtInstantTitle } from '../lib/format';

const STATE_TONE: Record<string, string> = {
  connected: 'ok',
  demo: 'info',
  replay: 'info',
  connecting: 'warn',
  reconnecting: 'warn',
  idle: 'muted',
  disconnected: 'crit',
  lost: 'crit',
};

export const ConnectionPanel = memo(function ConnectionPanel() {
  const snapshot = useApp((s) => s.snapshot);
  const transport = useApp((s) => s.transport);
  const now = useNow(1000);
  // The last event's time is an event time: in a replay its age is read on the replay's clock,
  // as the alert list reads its ages (a capture from last month's last event is not "31 d ago").
  const replayClock = useApp((s) => (s.snapshot?.session === 'replay' ? s.snapshot.clock : null));
  const lost = transport?.state === 'lost' || (transport?.state === 'connecting' && transport.attempt > 0);
  const conn = snapshot?.connection;
  const state = lost ? 'connection lost' : (conn?.state ?? 'unknown');
  const toneKey = lost ? 'lost' : (conn?.state ?? 'idle');
  return (
    <div className="conn" data-testid="connection-panel">
      <dl className="kv">
        <dt>Broker</dt>
        <dd>
          <span className={`badge badge-${STATE_TONE[toneKey] ?? 'muted'}`} data-testid="connection-state" data-state={lost ? 'lost' : (conn?.state ?? 'unknown')}>
            {state}
          </span>
          {conn && !lost ? <span className="muted small"> for {fmtDuration(now - conn.since)}</span> : null}
          {conn && conn.attempts > 0 && !lost ? <span className="muted small"> · attempt {conn.attempts}</span> : null}
        </dd>
        <dt>URL</dt>
        <dd className="mono ellipsis" data-testid="connection-url" title={conn?.url ?? ''}>
          {conn?.url ?? '—'}
        </dd>
        {conn?.queue ? <ConnectionQueue queue={conn.queue} /> : null}
        <dt>Last event stored</dt>
        <LastEventStored at={snapshot?.lastEventAt ?? null} now={replayClock ?? now} />
        {conn?.lastError ? (
          <>
            <dt>Last error</dt>
            <dd className="error-text small" data-testid="connection-error">
              {conn.lastError}
            </dd>
          </>
        ) : null}
        <dt>Stored</dt>
        <dd className="small">
          <span data-testid="totals-events">{fmtCount(snapshot?.totals.events)}</span> events ·{' '}
          <span data-testid="totals-duplicates">{fmtCount(snapshot?.totals.duplicates)}</span> dup ·{' '}
          <span data-testid="totals-quarantined" title="Quarantined since the database began (the retention does not lower it)">
            {fmtCount(snapshot?.totals.quarantined)}
          </span>{' '}
          quarantined
          {snapshot?.totals.quarantineHeld !== undefined && snapshot.totals.quarantineHeld !== snapshot.totals.quarantined ? (
            <>
              {' '}
              (
              <span data-testid="totals-quarantine-held" title="Quarantined messages the database holds now (the Quarantine tab lists them; the retention deletes them)">
                {fmtCount(snapshot.totals.quarantineHeld)}
              </span>{' '}
              held)
            </>
          ) : null}
          {snapshot?.totals.conflictingDuplicates ? (
            <>
              {' '}
              (
              <span data-testid="totals-conflicting" title="Quarantined copies of a stored source and id that came with a different body (the stored copy is kept)">
                {fmtCount(snapshot.totals.conflictingDuplicates)}
              </span>{' '}
              conflicting)
            </>
          ) : null}
        </dd>
        <dt>Ingest</dt>
        <dd className="small" data-testid="ingest-state">
          {!snapshot ? (
            '—'
          ) : snapshot.ingest.paused ? (
            <span className="badge badge-crit">paused: {snapshot.ingest.reason ?? 'unknown reason'}</span>
          ) : (
            <span>running · batch {fmtCount(snapshot.ingest.pendingBatch)}</span>
          )}
        </dd>
      </dl>
      {snapshot && snapshot.queues.length > 0 ? <WatchedQueues queues={snapshot.queues} /> : null}
    </div>
  );
});

/** The queue this console consumes: its name cut in its middle (its id stays seen), whose it is, and whether others take part of it. */
export function ConnectionQueue({ queue }: { queue: ConsoleQueueInfo }) {
  // A competing queue has another consumer at least, when the broker did not say how many.
  const others = (queue.consumers ?? 2) - 1;
  return (
    <>
      <dt>Queue</dt>
      <dd className="small" data-testid="connection-queue" data-own={String(queue.own)} data-competing={String(queue.competing)}>
        <UntrustedText className="mono queue-name" text={queue.name} cut="middle" />{' '}
        <span className="muted">
          ({queue.own ? "this console's own" : 'named'}
          {queue.consumers !== null ? `, ${fmtCountText(queue.consumers, 'consumer')}` : ''}
          {queue.expiresMs !== null ? `, expires after ${fmtDuration(queue.expiresMs)} unused` : ''})
        </span>
        {queue.competing ? (
          <div className="badge badge-warn" data-testid="queue-competing">
            competes for messages: {fmtCountText(others, 'other consumer')} {countNoun(others, 'takes', 'take')} part of this queue&apos;s events
          </div>
        ) : !queue.own && queue.type !== 'stream' ? (
          <div className="muted">a named queue: another console consuming it would split its messages with this one</div>
        ) : null}
      </dd>
    </>
  );
}

/** The watched queues' depth and consumers, each name cut in its middle. */
export function WatchedQueues({ queues }: { queues: readonly QueueDepth[] }) {
  return (
    <table className="table compact" data-testid="queue-table">
      <caption className="sr-only">Watched queues</caption>
      <thead>
        <tr>
          <th scope="col">Queue</th>
          <th scope="col" className="num">Messages</th>
          <th scope="col" className="num">Consumers</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((q) => (
          <tr key={q.queue} data-testid="queue-row" data-queue={q.queue}>
            <td>
              <UntrustedText className="mono queue-name" text={q.queue} cut="middle" />
              {q.error ? (
                <span className="error-text small">
                  {' '}
                  (<Sentence text={q.error} values={[q.queue]} />)
                </span>
              ) : null}
            </td>
            <td className="num">{fmtCount(q.messages)}</td>
            <td className="num">{fmtCount(q.consumers)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The last stored event's time with its zone and its age on the clock it is read on (`now`: the
 * replay's in a replay); the date too when it is another day than `now`'s (a capture's last
 * event may be last month's). The title gives the zone and the UTC instant.
 */
export function LastEventStored({ at, now }: { at: number | null; now: number }) {
  const shown = fmtDateTimeZone(at);
  const sameDay = at !== null && shown.slice(0, 10) === fmtDateTime(now).slice(0, 10);
  return (
    <dd data-testid="connection-last-event" title={fmtInstantTitle(at)}>
      {at ? `${sameDay ? shown.slice(11) : shown} (${fmtAgo(at, now)})` : 'none yet'}
    </dd>
  );
}
