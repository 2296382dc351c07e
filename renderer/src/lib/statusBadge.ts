// The header's status badge: exactly one of live and receiving, live and connected with
// nothing received for N s, connecting, connection lost (since when), no broker, demo, replay,
// following. The engine decides the state (shared/sessionStatus.ts); here it is recomputed
// with the renderer's clock (the N seconds keep counting between snapshots), and overridden
// when the console itself has lost the engine: a stale snapshot must not keep saying "receiving".
import type { TransportStatus } from '../api/client';
import type { EngineSnapshot, StatusState } from '../../../shared/metrics';
import { sessionStatus } from '../../../shared/sessionStatus';
import { formatElapsed } from '../../../shared/format';
import { fmtClockZone } from './format';

/** No snapshot for this long (they come 10 times a second) means the engine is not answering. */
export const SNAPSHOT_STALE_MS = 5000;

export interface StatusBadge {
  state: StatusState;
  label: string;
  tone: 'ok' | 'warn' | 'crit' | 'info' | 'accent' | 'muted';
  /** The longer explanation (a tooltip). */
  title: string;
}

export function statusBadge(snapshot: EngineSnapshot, transport: TransportStatus | null, now: number): StatusBadge {
  const lostEngine = transport?.kind === 'ws' && (transport.state === 'lost' || (transport.state === 'connecting' && transport.attempt > 0));
  if (lostEngine || now - snapshot.at > SNAPSHOT_STALE_MS) {
    const since = snapshot.at;
    return {
      state: 'lost',
      label: `CONNECTION LOST since ${fmtClockZone(since)}`,
      tone: 'crit',
      title: `No word from the payops engine for ${formatElapsed(now - since)}${transport?.error ? `: ${transport.error}` : ''}; the figures shown are from ${fmtClockZone(since)}.`,
    };
  }
  const s = snapshot.status;
  if (s.state === 'following') {
    return { state: 'following', label: `FOLLOWING ${s.detail ?? ''}`.trim(), tone: 'info', title: `Following the metrics stream ${s.detail ?? ''} a collector publishes.` };
  }
  const status = sessionStatus(
    { session: snapshot.session, connection: snapshot.connection, hasBroker: s.state !== 'no-broker', lastReceivedAt: s.lastReceivedAt },
    Math.max(now, snapshot.at),
  );
  const url = snapshot.connection.url ?? 'the broker';
  switch (status.state) {
    case 'receiving':
      return { state: 'receiving', label: 'LIVE · receiving', tone: 'ok', title: `Connected to ${url}; events are arriving.` };
    case 'quiet':
      return {
        state: 'quiet',
        label: `LIVE · connected, nothing received for ${formatElapsed(now - status.since)}`,
        tone: 'warn',
        title: `Connected to ${url}, but no message has arrived ${status.lastReceivedAt === null ? 'since connecting' : `since ${fmtClockZone(status.lastReceivedAt)}`}.`,
      };
    case 'connecting':
      return {
        state: 'connecting',
        label: 'CONNECTING…',
        tone: 'warn',
        title: `Connecting to ${url}${snapshot.connection.attempts > 1 ? ` (attempt ${snapshot.connection.attempts})` : ''}${status.detail ? `: ${status.detail}` : ''}.`,
      };
    case 'lost':
      return {
        state: 'lost',
        label: `CONNECTION LOST since ${fmtClockZone(status.since)}`,
        tone: 'crit',
        title: `The connection to ${url} was lost ${formatElapsed(now - status.since)} ago and is being retried${status.detail ? `: ${status.detail}` : ''}.`,
      };
    case 'no-broker':
      return { state: 'no-broker', label: 'NOT CONNECTED · no broker set up', tone: 'muted', title: status.detail ?? 'No broker configured.' };
    case 'demo':
      return { state: 'demo', label: 'DEMO', tone: 'info', title: 'The built-in simulator feeds its own database, never the live one.' };
    case 'replay':
      return { state: 'replay', label: 'REPLAY', tone: 'accent', title: 'A capture is replaying into its own database.' };
    default:
      return { state: 'following', label: 'FOLLOWING', tone: 'info', title: "Following another console's metrics." };
  }
}
