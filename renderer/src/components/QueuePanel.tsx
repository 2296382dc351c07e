// The queue panel: every watched queue (the console's own first) with ready/unacked, the
// publish/deliver/ack rates, the delay a new message would see and the time to drain, as
// numbers and sparklines; and why rates are missing when the management API is not there.
import { memo, useRef } from 'react';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';
import type { QueueDepth } from '../../../shared/metrics';
import { fmtCount, fmtRate } from '../lib/format';
import { useApp } from '../store/appStore';
import { QueueDelay, secs, waitShown } from './QueueDelay';
import { brokerNodeText, queuesEmptyText } from './queuePanelText';
import { Sentence } from './Sentence';
import { Sparkline } from './Sparkline';
import { UntrustedText } from './UntrustedText';

const KEEP = 60;
/** One empty list, so the store selector returns the same value while there is no snapshot. */
const NO_QUEUES: QueueDepth[] = [];

export interface History {
  at: number;
  byQueue: Map<string, { depth: (number | null)[]; delay: (number | null)[]; drain: (number | null)[] }>;
}

/** Keeps the last samples per queue, appended once per poll (a snapshot repeats the latest poll). */
function useQueueHistory(queues: QueueDepth[]): History {
  const ref = useRef<History>({ at: 0, byQueue: new Map() });
  const at = queues[0]?.at ?? 0;
  if (at > ref.current.at) {
    const byQueue = new Map(ref.current.byQueue);
    for (const q of queues) {
      const h = byQueue.get(q.queue) ?? { depth: [], delay: [], drain: [] };
      byQueue.set(q.queue, {
        depth: [...h.depth, q.messages].slice(-KEEP),
        delay: [...h.delay, waitShown(q)].slice(-KEEP),
        drain: [...h.drain, q.drainSeconds ?? null].slice(-KEEP),
      });
    }
    ref.current = { at, byQueue };
  }
  return ref.current;
}

export function QueueRow({ q, history }: { q: QueueDepth; history: History }) {
  const h = history.byQueue.get(q.queue);
  const r = q.rates;
  const name = withFormatCharactersShown(q.queue);
  return (
    <tr data-testid={`queue-row-${q.queue}`} data-source={q.source ?? ''}>
      <td>
        <UntrustedText className="mono queue-name" text={q.queue} cut="middle" />
      </td>
      <td data-testid="queue-messages">
        {q.error ? (
          <span className="error-text">
            <Sentence text={q.error} values={[q.queue]} />
          </span>
        ) : (
          fmtCount(q.messages)
        )}
        <div className="muted small">
          {q.ready === null || q.ready === undefined ? '' : `${fmtCount(q.ready)} ready · ${fmtCount(q.unacked ?? null)} unacked`}
        </div>
        <Sparkline values={h?.depth ?? []} label={`depth of ${name}`} />
      </td>
      <td>{fmtCount(q.consumers)}</td>
      <td data-testid="queue-rates">
        {r && r.publish !== null ? `${fmtRate(r.publish)} / ${fmtRate(r.deliver)} / ${fmtRate(r.ack)}` : '—'}
      </td>
      <td data-testid="queue-delay">
        <QueueDelay q={q} />
        <Sparkline values={h?.delay ?? []} label={`delay of ${name}`} />
      </td>
      <td data-testid="queue-drain">
        {/* Without the broker's rates (a passive declare) nothing is known of draining. */}
        {q.drainSeconds === null && q.messages && q.type !== 'stream' && typeof r?.deliver === 'number' ? 'not draining' : secs(q.drainSeconds)}
        <Sparkline values={h?.drain ?? []} label={`time to drain ${name}`} />
      </td>
      <td className="small">
        {q.forecast?.crossInSeconds !== null && q.forecast?.crossInSeconds !== undefined
          ? `reaches ${q.forecast.limitKind === 'x-max-length' ? 'x-max-length' : ''} ${fmtCount(q.forecast.limit)} in ${secs(q.forecast.crossInSeconds)}`
          : '—'}
      </td>
    </tr>
  );
}

export const QueuePanel = memo(function QueuePanel() {
  const queues = useApp((s) => s.view.snapshot?.queues ?? NO_QUEUES);
  const node = useApp((s) => s.view.snapshot?.brokerNode ?? null);
  const history = useQueueHistory(queues);
  // The transport's loss first, as the connection panel reads it: the last snapshot still says connected.
  const lost = useApp((s) => s.transport?.state === 'lost' || (s.transport?.state === 'connecting' && s.transport.attempt > 0));
  const state = useApp((s) => (lost ? 'lost' : (s.view.snapshot?.connection.state ?? null)));
  const ownQueue = useApp((s) => s.view.snapshot?.connection.queue?.name ?? null);
  // The broker's words quote a queue (a stream's note starts with its name): drawn as a sentence around it.
  const noted = queues.find((q) => q.note);
  return (
    <section role="region" aria-label="Queues" className="panel" data-testid="panel-queues">
      <header className="panel-head">
        <h2>Queues</h2>
        <span className="muted small">
          publish / deliver / ack per second · delay (the oldest message&apos;s age, else estimated by Little&apos;s law) · time to drain
          <Sentence text={brokerNodeText(node)} values={node?.node ? [node.node] : []} />
        </span>
      </header>
      {noted?.note ? (
        <div className="hint small" data-testid="queue-management-note">
          <Sentence text={noted.note} values={[noted.queue]} />
        </div>
      ) : null}
      {queues.length === 0 ? (
        <div className="chart-empty" data-testid="queues-empty">
          <Sentence text={queuesEmptyText(state, ownQueue)} values={ownQueue ? [ownQueue] : []} />
        </div>
      ) : (
        <table className="table small" data-testid="queue-table">
          <caption className="sr-only">Watched queues</caption>
          <thead>
            <tr>
              <th>Queue</th>
              <th>Messages</th>
              <th>Consumers</th>
              <th>Rates /s</th>
              <th>Delay</th>
              <th>Drain</th>
              <th>Forecast</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <QueueRow key={q.queue} q={q} history={history} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
