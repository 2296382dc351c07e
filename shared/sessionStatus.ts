// The status badge's one state, decided in one place from the session, the broker connection
// and when the last message arrived, so that it never says "receiving" while nothing arrives
// or the connection is gone. The engine puts it in every snapshot; the renderer recomputes it
// with its own clock between snapshots and overrides it when it has lost the engine itself.
import type { ConnectionStatus, EngineSnapshot, SessionStatus } from './metrics';

/** Connected with no message for this long reads "nothing received for N s". */
export const QUIET_AFTER_MS = 5000;

export interface StatusInput {
  session: EngineSnapshot['session'];
  connection: ConnectionStatus;
  /** Whether the live session has a broker to connect to. */
  hasBroker: boolean;
  lastReceivedAt: number | null;
}

export function sessionStatus(input: StatusInput, now: number): SessionStatus {
  const { connection: c, lastReceivedAt } = input;
  const base = { lastReceivedAt, detail: c.lastError };
  if (input.session === 'demo') return { ...base, state: 'demo', since: c.since, detail: null };
  if (input.session === 'replay') return { ...base, state: 'replay', since: c.since, detail: null };
  if (!input.hasBroker) return { ...base, state: 'no-broker', since: c.since, detail: 'no broker configured: add a profile in Settings, or start with --amqp' };
  switch (c.state) {
    case 'connected': {
      // Only a message that arrived on this connection counts: one from before a reconnect does not.
      const last = lastReceivedAt !== null && lastReceivedAt >= c.since ? lastReceivedAt : null;
      if (last !== null && now - last < QUIET_AFTER_MS) return { ...base, state: 'receiving', since: last, detail: null };
      return { ...base, state: 'quiet', since: last ?? c.since, detail: null };
    }
    case 'reconnecting':
    case 'disconnected':
      return { ...base, state: 'lost', since: c.since };
    default:
      // idle (not started yet) and connecting: no connection has been made in this session.
      return { ...base, state: 'connecting', since: c.since };
  }
}
