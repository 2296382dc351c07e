// The queue panel's texts that depend on what it is given (pure, for tests): the broker node's
// figures in its header, and why the list is empty.
import type { ConnectionState } from '../../../shared/metrics';
import type { BrokerNodeHealth } from '../../../shared/queueStats';
import { fmtCountText } from '../lib/format';

/** A count with its noun in the right form; '?' and the plural when the API did not give it. */
const counted = (n: number | null, one: string) => (n === null ? `? ${one}s` : fmtCountText(n, one));

/** " · rabbit@host: 1 connection, 7 channels" for the header; '' without the node's figures. */
export function brokerNodeText(node: BrokerNodeHealth | null): string {
  if (!node || node.error) return '';
  return ` · ${node.node ?? 'broker'}: ${counted(node.connections, 'connection')}, ${counted(node.channels, 'channel')}`;
}

/**
 * Why no queue is listed, as far as the connection's state tells. Connected, the console's own
 * queue is always watched (electron/core/broker/watchedQueues.ts), so an empty list there means
 * its first poll has not reported yet; other queues are watched from the profile.
 */
export function queuesEmptyText(state: ConnectionState | 'lost' | null, ownQueue: string | null): string {
  switch (state) {
    case 'connecting':
    case 'reconnecting':
      return 'Connecting to the broker: its queues show once connected';
    case 'connected':
      return (
        `Connected; no queue sampled yet: this console's own queue${ownQueue ? ` (${ownQueue})` : ''} shows after the first poll, every 2 s. ` +
        'To watch other queues, list them in Settings → Watched queues and press Connect.'
      );
    case 'demo':
      return 'The demo runs without a broker: no queues to show';
    case 'replay':
      return 'A replay reads a capture, not a broker: no queues to show';
    default:
      return 'Not connected to a broker: no queues to show';
  }
}
