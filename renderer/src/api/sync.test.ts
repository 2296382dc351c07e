import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiPushes, ApiPushName } from '../../../shared/api';
import type { EngineSnapshot, ThroughputPoint } from '../../../shared/metrics';
import { emptySnapshot } from '../../../test/support/emptySnapshot';
import { selectedAlertOf } from '../store/alerts';
import { createAppStore } from '../store/store';
import type { PayopsClient, TransportStatus } from './client';
import { startSync } from './sync';

function snap(clockSec: number, tailSeconds: number[]): EngineSnapshot {
  return emptySnapshot(clockSec * 1000, { throughputTail: tailSeconds.map((t) => ({ t, counts: { 'payment.authorized': 1 } })) });
}

function fakeClient(latest: () => EngineSnapshot = () => snap(100, []), history = (): ThroughputPoint[] => [{ t: 90, counts: { 'payment.authorized': 5 } }]) {
  const listeners: { [K in ApiPushName]: ((p: ApiPushes[K]) => void)[] } = { snapshot: [], alert: [], menu: [] };
  const statusListeners: ((s: TransportStatus) => void)[] = [];
  let status: TransportStatus = { kind: 'ws', state: 'open', attempt: 0, retryAt: null, reconnects: 0, error: null };
  const calls: string[] = [];
  const client: PayopsClient = {
    invoke: (async (name: string) => {
      calls.push(name);
      if (status.state !== 'open') throw new Error('connection lost');
      switch (name) {
        case 'app.info':
          return { version: 't', host: 'web', readOnly: false, demo: false, dbFile: null };
        case 'engine.snapshot':
          return latest();
        case 'metrics.history':
          return { throughput: history(), queueDepth: [] };
        case 'alerts.list':
          return { alerts: [] };
        default:
          throw new Error(`unexpected ${name}`);
      }
    }) as PayopsClient['invoke'],
    on: ((name: ApiPushName, l: (p: never) => void) => {
      (listeners[name] as unknown[]).push(l);
      return () => {};
    }) as PayopsClient['on'],
    status: () => status,
    onStatus: (l) => {
      statusListeners.push(l);
      return () => {};
    },
    reconnectNow: () => {},
    close: () => {},
  };
  return {
    client,
    calls,
    push: (s: EngineSnapshot) => listeners.snapshot.forEach((l) => l(s)),
    menu: (push: ApiPushes['menu']) => listeners.menu.forEach((l) => l(push)),
    /** What the main process might send that is not a menu push (the renderer must drop it). */
    menuRaw: (payload: unknown) => listeners.menu.forEach((l) => l(payload as ApiPushes['menu'])),
    setStatus: (patch: Partial<TransportStatus>) => {
      status = { ...status, ...patch };
      statusListeners.forEach((l) => l(status));
    },
  };
}

describe('sync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('coalesces a burst of snapshots to the snapshot cadence without losing tail seconds', async () => {
    const f = fakeClient();
    const store = createAppStore();
    let applied = 0;
    store.subscribe((s, prev) => {
      if (s.snapshot !== prev.snapshot) applied++;
    });
    const stop = startSync(f.client, store);
    await vi.advanceTimersByTimeAsync(50);
    const before = applied;
    for (let i = 0; i < 20; i++) f.push(snap(101 + i, [100 + i]));
    await vi.advanceTimersByTimeAsync(250);
    expect(applied - before).toBeLessThanOrEqual(3);
    const ts = store.getState().throughput.map((p) => p.t);
    expect(ts).toEqual([90, ...Array.from({ length: 20 }, (_, i) => 100 + i)]);
    stop();
  });

  it('keeps every late count of a burst of coalesced snapshots (each adds to a second already held)', async () => {
    const f = fakeClient();
    const store = createAppStore();
    const stop = startSync(f.client, store);
    await vi.advanceTimersByTimeAsync(50);
    f.push(snap(102, [100, 101]));
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 10; i++) f.push({ ...snap(103 + i, [102 + i]), throughputLate: [{ t: 100, counts: { 'payment.authorized': 1 } }] });
    await vi.advanceTimersByTimeAsync(250);
    expect(store.getState().throughput.find((p) => p.t === 100)?.counts['payment.authorized']).toBe(11);
    stop();
  });

  it('drops the tails of coalesced snapshots from before a seek back: their seconds are ahead of the new clock', async () => {
    const f = fakeClient(() => snap(300, []), () => []);
    const store = createAppStore();
    const stop = startSync(f.client, store);
    await vi.advanceTimersByTimeAsync(50);
    // One burst, coalesced after the first is applied: a second more at the old position, then the seek back to 150.
    f.push(snap(301, [300]));
    f.push(snap(302, [301]));
    f.push(snap(150, [149]));
    await vi.advanceTimersByTimeAsync(250);
    expect(store.getState().snapshot?.clock).toBe(150_000);
    expect(store.getState().throughput.map((p) => p.t)).toEqual([149]);
    stop();
  });

  it('reloads history and alerts after the transport comes back', async () => {
    const f = fakeClient();
    const store = createAppStore();
    const stop = startSync(f.client, store);
    await vi.advanceTimersByTimeAsync(50);
    const historyCalls = () => f.calls.filter((c) => c === 'metrics.history').length;
    expect(historyCalls()).toBe(1);
    f.setStatus({ state: 'lost', attempt: 1 });
    expect(store.getState().transport?.state).toBe('lost');
    await vi.advanceTimersByTimeAsync(3000);
    f.setStatus({ state: 'open', attempt: 0, reconnects: 1 });
    await vi.advanceTimersByTimeAsync(50);
    expect(historyCalls()).toBe(2);
    expect(store.getState().alertsLoadedAt).not.toBeNull();
    stop();
  });

  it('does not add the late counts of the snapshot it fetches again after a reconnect (they came with its push)', async () => {
    let last = snap(100, []);
    const f = fakeClient(() => last);
    const store = createAppStore();
    const stop = startSync(f.client, store);
    await vi.advanceTimersByTimeAsync(50);
    const push = (s: EngineSnapshot) => {
      last = s;
      f.push(s);
    };
    push(snap(102, [100, 101]));
    await vi.advanceTimersByTimeAsync(100);
    push({ ...snap(103, [102]), throughputLate: [{ t: 100, counts: { 'payment.authorized': 1 } }] });
    await vi.advanceTimersByTimeAsync(100);
    f.setStatus({ state: 'lost', attempt: 1 });
    f.setStatus({ state: 'open', attempt: 0, reconnects: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(f.calls.filter((c) => c === 'engine.snapshot').length).toBe(2);
    expect(store.getState().throughput.find((p) => p.t === 100)?.counts['payment.authorized']).toBe(2);
    stop();
  });

  it('applies a snapshot it holds back before the history answer, so its late counts are not added to seconds the history read whole', async () => {
    let history: ThroughputPoint[] = [];
    const f = fakeClient(undefined, () => history);
    const store = createAppStore();
    const stop = startSync(f.client, store);
    await vi.advanceTimersByTimeAsync(50);
    f.push(snap(102, [101]));
    await vi.advanceTimersByTimeAsync(100);
    history = [{ t: 90, counts: { 'payment.authorized': 5 } }];
    f.push(snap(102, []));
    // Pushed just before the history answer (the event is already in the database it reads),
    // and held back to the snapshot cadence.
    f.push({ ...snap(102, []), throughputLate: [{ t: 90, counts: { 'payment.authorized': 1 } }] });
    f.setStatus({ state: 'lost', attempt: 1 });
    f.setStatus({ state: 'open', attempt: 0, reconnects: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(store.getState().throughput.find((p) => p.t === 90)?.counts['payment.authorized']).toBe(5);
    stop();
  });

  it('applies application-menu commands', async () => {
    const f = fakeClient();
    const store = createAppStore({ defaultTheme: 'dark' });
    const views: string[] = [];
    const stop = startSync(f.client, store, { navigate: (v) => views.push(v) });
    f.menu({ command: 'view.alerts' });
    f.menu({ command: 'view.settings' });
    f.menu({ command: 'live.togglePause' });
    f.menu({ command: 'theme.toggle' });
    expect(views).toEqual(['#/alerts', '#/settings']);
    expect(store.getState().paused).toBe(true);
    expect(store.getState().theme).toBe('light');
    stop();
  });

  it('opens the alert a desktop notification names: its route selects it (before: the Alerts view only)', async () => {
    const f = fakeClient();
    const routes: string[] = [];
    const store = createAppStore();
    const stop = startSync(f.client, store, { navigate: (h) => routes.push(h) });
    f.menu({ command: 'alert.open', key: 'decline-rate|merchant=m/1 & 2|1700000000000' });
    expect(routes).toEqual(['#/alerts?alert=decline-rate%7Cmerchant%3Dm%2F1%20%26%202%7C1700000000000']);
    expect(selectedAlertOf(routes[0])).toBe('decline-rate|merchant=m/1 & 2|1700000000000');
    // Each click counts, so a second one on the alert already open scrolls to it again.
    f.menu({ command: 'alert.open', key: 'decline-rate|merchant=m/1 & 2|1700000000000' });
    expect(store.getState().alertOpenings).toBe(2);
    stop();
  });

  it('keeps the link the desktop app refused, to say so, until dismissed', async () => {
    const f = fakeClient();
    const store = createAppStore();
    const stop = startSync(f.client, store, { navigate: () => undefined });
    f.menu({ command: 'link.blocked', host: 'wiki.corp.example', reason: 'host' });
    expect(store.getState().linkBlocked).toEqual({ command: 'link.blocked', host: 'wiki.corp.example', reason: 'host' });
    store.getState().setLinkBlocked(null);
    expect(store.getState().linkBlocked).toBeNull();
    stop();
  });

  it('drops a menu push that does not fit the contract, acting on none of it', async () => {
    const f = fakeClient();
    const store = createAppStore({ defaultTheme: 'dark' });
    const routes: string[] = [];
    const stop = startSync(f.client, store, { navigate: (h) => routes.push(h) });
    for (const bad of [null, 'view.alerts', {}, { command: 'view.nowhere' }, { command: 'alert.open' }, { command: 'alert.open', key: '' }, { command: 'alert.open', key: 'k'.repeat(401) }, { command: 'alert.open', key: 7 }, { command: 'view.alerts', extra: 1 }, { command: 'link.blocked', host: 'x.example', reason: 'because' }]) {
      f.menuRaw(bad);
    }
    expect(routes).toEqual([]);
    expect(store.getState().linkBlocked).toBeNull();
    expect(store.getState().theme).toBe('dark');
    stop();
  });

  it('polls alerts every 2 s', async () => {
    const f = fakeClient();
    const stop = startSync(f.client, createAppStore());
    await vi.advanceTimersByTimeAsync(6100);
    const n = f.calls.filter((c) => c === 'alerts.list').length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(5);
    stop();
  });
});
