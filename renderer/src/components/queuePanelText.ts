// The queue panel's texts that depend on what it is given (pure, for tests): the broker node's
// figures in its header.
import type { BrokerNodeHealth } from '../../../shared/queueStats';
import { fmtCountText } from '../lib/format';

/** A count with its noun in the right form; '?' and the plural when the API did not give it. */
const counted = (n: number | null, one: string) => (n === null ? `? ${one}s` : fmtCountText(n, one));

/** " · rabbit@host: 1 connection, 7 channels" for the header; '' without the node's figures. */
export function brokerNodeText(node: BrokerNodeHealth | null): string {
  if (!node || node.error) return '';
  return ` · ${node.node ?? 'broker'}: ${counted(node.connections, 'connection')}, ${counted(node.channels, 'channel')}`;
}
