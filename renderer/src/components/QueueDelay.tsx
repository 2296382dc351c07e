// The queue panel's delay cell: how long messages wait, in seconds, and which figure it is:
// the oldest waiting message's age where its producer stamped it (measured; without the
// management API, the console's own queue's newest delivery's wait), else the delay a new
// message would see by Little's law (estimated); and why there is none when nothing drains (a
// stuck consumer, no consumers) or nothing says (over AMQP alone: no rates).
import type { ReactNode } from 'react';
import type { QueueDepth } from '../../../shared/metrics';
import { formatDurationMs } from '../../../shared/format';
import { stuckConsumerText } from '../../../shared/queueStuck';
import { sentencePlainText } from '../lib/sentenceParts';

export const secs = (s: number | null | undefined) => (s === null || s === undefined ? '—' : formatDurationMs(s * 1000));

/** Messages wait and nobody reads them: no delay can be given, and a dash would read as unknown. */
const paused = (q: QueueDepth) => q.type !== 'stream' && q.consumers === 0 && (q.messages ?? 0) > 0 && (q.delaySeconds ?? null) === null;

/** The seconds the cell shows (the sparkline follows the same figure). */
export function waitShown(q: QueueDepth): number | null {
  return q.oldestMessageAgeSeconds ?? q.delaySeconds ?? null;
}

function waitPart(q: QueueDepth): ReactNode {
  if (q.oldestMessageAgeSeconds !== null && q.oldestMessageAgeSeconds !== undefined) {
    if (q.oldestMessageAgeFrom === 'consumer') {
      return (
        <span title="how long the newest message this console was delivered from the queue had waited: its delivery time minus the timestamp its producer set (the management API gives no head timestamp here)">
          {secs(q.oldestMessageAgeSeconds)} waited
        </span>
      );
    }
    return <span title="age of the oldest waiting message, from the timestamp its producer set">{secs(q.oldestMessageAgeSeconds)} oldest</span>;
  }
  if (q.delaySeconds === null || q.delaySeconds === undefined) return null;
  // An empty queue's 0 is exact, not estimated.
  if (!q.messages) return secs(q.delaySeconds);
  return <span title="estimated from depth and the deliver rate (Little's law): its messages carry no timestamp">{secs(q.delaySeconds)} est.</span>;
}

function whyNoDelayPart(q: QueueDepth): ReactNode {
  const noDelay = q.delaySeconds === null || q.delaySeconds === undefined;
  // Nothing drains, yet consumers are attached: a stuck consumer, said from the first poll
  // that sees it (its stall clock starts at 0 there), and how long once the clock has run.
  const stuck = noDelay ? stuckConsumerText(q) : null;
  if (stuck || (noDelay && q.stalledSeconds)) {
    return (
      <span className="error-text" data-testid="queue-stalled" title="messages wait, consumers are attached, nothing was delivered or acknowledged">
        {[stuck, q.stalledSeconds ? `stalled ${secs(q.stalledSeconds)}` : null].filter(Boolean).join(' · ')}
      </span>
    );
  }
  if (paused(q)) return <span title="messages wait and no consumer reads them: nothing drains">no consumers</span>;
  // Over AMQP alone there are no rates, and no timestamp stamped by the producer was seen.
  if (waitShown(q) === null && q.source === 'amqp' && q.type !== 'stream' && (q.messages ?? 0) > 0) {
    // The note may name the queue (the broker's): isolated in the title, as a sentence's title holds a value.
    return <span title={q.note ? sentencePlainText(q.note, [q.queue]) : undefined}>delay needs the management API</span>;
  }
  return null;
}

export function QueueDelay({ q }: { q: QueueDepth }) {
  const wait = waitPart(q);
  const why = whyNoDelayPart(q);
  if (wait === null && why === null) return <>—</>;
  return (
    <>
      {wait}
      {wait !== null && why !== null ? ' · ' : null}
      {why}
    </>
  );
}
