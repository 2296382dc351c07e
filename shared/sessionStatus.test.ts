import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from './metrics';
import { QUIET_AFTER_MS, sessionStatus } from './sessionStatus';

const conn = (state: ConnectionStatus['state'], since = 1000, lastError: string | null = null): ConnectionStatus => ({ state, url: 'amqp://h:5672', since, attempts: 0, lastError });
const live = (connection: ConnectionStatus, lastReceivedAt: number | null = null) => ({ session: 'live' as const, connection, hasBroker: true, lastReceivedAt });

describe('session status', () => {
  it('is receiving only while messages arrive on the live connection', () => {
    expect(sessionStatus(live(conn('connected'), 9000), 10_000)).toMatchObject({ state: 'receiving', since: 9000 });
    expect(sessionStatus(live(conn('connected'), 9000), 9000 + QUIET_AFTER_MS)).toMatchObject({ state: 'quiet', since: 9000 });
    // Connected, nothing received yet: quiet since the connection.
    expect(sessionStatus(live(conn('connected', 5000)), 6000)).toMatchObject({ state: 'quiet', since: 5000, lastReceivedAt: null });
    // A message from before a reconnect does not make the new connection "receiving".
    expect(sessionStatus(live(conn('connected', 5000), 4900), 5100)).toMatchObject({ state: 'quiet', since: 5000 });
  });

  it('says connecting before the first connection, and lost (since when) after one', () => {
    expect(sessionStatus(live(conn('connecting', 1000, 'ECONNREFUSED')), 5000)).toMatchObject({ state: 'connecting', detail: 'ECONNREFUSED' });
    expect(sessionStatus(live(conn('idle')), 5000).state).toBe('connecting');
    expect(sessionStatus(live(conn('reconnecting', 7000, 'connection closed'), 6000), 60_000)).toMatchObject({ state: 'lost', since: 7000, detail: 'connection closed' });
    expect(sessionStatus(live(conn('disconnected', 7000)), 60_000)).toMatchObject({ state: 'lost', since: 7000 });
  });

  it('names demo, replay and a live session with no broker', () => {
    expect(sessionStatus({ ...live(conn('demo')), session: 'demo' }, 5000).state).toBe('demo');
    expect(sessionStatus({ ...live(conn('replay')), session: 'replay' }, 5000).state).toBe('replay');
    expect(sessionStatus({ ...live(conn('idle')), hasBroker: false }, 5000).state).toBe('no-broker');
  });
});
