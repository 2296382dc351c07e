// The queue panel's delay cell: the delay a new message would see, or, when Little's law has
// no answer, why (a stuck consumer, no consumers).
import type { QueueDepth } from '../../../shared/metrics';
import { formatDurationMs } from '../../../shared/format';
import { stuckConsumerText } from '../../../shared/queueStuck';

export const secs = (s: number | null | undefined) => (s === null || s === undefined ? '—' : formatDurationMs(s * 1000));

/** Messages wait and nobody reads them: no delay can be given, and a dash would read as unknown. */
const paused = (q: QueueDepth) => q.type !== 'stream' && q.consumers === 0 && (q.messages ?? 0) > 0 && (q.delaySeconds ?? null) === null;

export function QueueDelay({ q }: { q: QueueDepth }) {
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
  return <>{secs(q.delaySeconds)}</>;
}
