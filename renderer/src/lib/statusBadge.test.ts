import { describe, expect, it } from 'vitest';
import type { TransportStatus } from '../api/client';
import { emptySnapshot } from '../../../test/support/emptySnapshot';
import { statusBadge } from './statusBadge';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const open: TransportStatus = { kind: 'ws', state: 'open', attempt: 0, retryAt: null, reconnects: 0, error: null };

describe('status badge', () => {
  it('says receiving only while events arrive, then how long nothing has', () => {
    const snap = emptySnapshot(NOW, { connection: { state: 'connected', url: 'amqp://h', since: NOW - 60_000, attempts: 0, lastError: null }, status: { state: 'receiving', since: NOW - 1000, lastReceivedAt: NOW - 1000, detail: null } });
    expect(statusBadge(snap, open, NOW)).toMatchObject({ state: 'receiving', label: 'LIVE · receiving', tone: 'ok' });
    // Between snapshots the renderer's clock keeps counting: 12 s later nothing has come.
    const later = { ...snap, at: NOW + 11_000 };
    expect(statusBadge(later, open, NOW + 11_000)).toMatchObject({ state: 'quiet', label: 'LIVE · connected, nothing received for 12s', tone: 'warn' });
  });

  it('never shows a stale snapshot as live: a lost engine or no snapshot for 5 s reads "connection lost"', () => {
    const snap = emptySnapshot(NOW, { status: { state: 'receiving', since: NOW, lastReceivedAt: NOW, detail: null } });
    expect(statusBadge(snap, { ...open, state: 'lost', attempt: 1 }, NOW + 1000)).toMatchObject({ state: 'lost', tone: 'crit' });
    expect(statusBadge(snap, open, NOW + 6000).state).toBe('lost');
    expect(statusBadge(snap, open, NOW + 6000).label).toMatch(/^CONNECTION LOST since \d\d:\d\d:\d\d \S+$/);
  });

  it('says lost since when, connecting, no broker, demo and replay as they are', () => {
    const lost = emptySnapshot(NOW, { connection: { state: 'reconnecting', url: 'amqp://h', since: NOW - 90_000, attempts: 4, lastError: 'ECONNRESET' }, status: { state: 'lost', since: NOW - 90_000, lastReceivedAt: null, detail: 'ECONNRESET' } });
    const b = statusBadge(lost, open, NOW);
    expect(b.state).toBe('lost');
    expect(b.title).toMatch(/lost 1m 30s ago .*ECONNRESET/);
    expect(statusBadge(emptySnapshot(NOW, { connection: { state: 'connecting', url: 'amqp://h', since: NOW, attempts: 2, lastError: null } }), open, NOW).label).toBe('CONNECTING…');
    expect(statusBadge(emptySnapshot(NOW, { status: { state: 'no-broker', since: NOW, lastReceivedAt: null, detail: null }, connection: { state: 'idle', url: null, since: NOW, attempts: 0, lastError: null } }), open, NOW).state).toBe('no-broker');
    expect(statusBadge(emptySnapshot(NOW, { session: 'demo' }), open, NOW).label).toBe('DEMO');
    expect(statusBadge(emptySnapshot(NOW, { session: 'replay' }), open, NOW).label).toBe('REPLAY');
  });

  it('names the stream a follower console follows, and still says when the engine is lost', () => {
    const snap = emptySnapshot(NOW, { status: { state: 'following', since: NOW - 5000, lastReceivedAt: NOW - 100, detail: 'payops.metrics' } });
    expect(statusBadge(snap, open, NOW)).toMatchObject({ state: 'following', label: 'FOLLOWING payops.metrics', tone: 'info' });
    expect(statusBadge(snap, open, NOW + 6000).state).toBe('lost');
  });
});
