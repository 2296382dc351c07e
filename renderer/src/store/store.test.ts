import { describe, expect, it } from 'vitest';
import type { EngineSnapshot, ThroughputPoint } from '../../../shared/metrics';
import type { AlertView } from '../../../shared/alerts';
import { emptySnapshot } from '../../../test/support/emptySnapshot';
import { createAppStore, THEME_KEY, type KeyValueStorage } from './store';

function snapshot(clockSec: number, tail: ThroughputPoint[] = [], extra: Partial<EngineSnapshot> = {}): EngineSnapshot {
  return emptySnapshot(clockSec * 1000, {
    connection: { state: 'connected', url: 'amqp://localhost', since: 0, attempts: 0, lastError: null },
    throughputTail: tail,
    queueDepthTail: tail.map((p) => ({ t: p.t, depths: { q1: p.t % 100 } })),
    ...extra,
  });
}

const sec = (t: number, n = 1): ThroughputPoint => ({ t, counts: { 'payment.authorized': n } });

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('store: snapshots and series', () => {
  it('appends tails and ignores duplicates and out-of-order seconds', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1001, [sec(1000, 1)]));
    store.getState().applySnapshot(snapshot(1002, [sec(1000, 9), sec(1001, 2)]));
    store.getState().applySnapshot(snapshot(1003, [sec(999, 9), sec(1002, 3)]));
    const s = store.getState();
    expect(s.throughput.map((p) => [p.t, p.counts['payment.authorized']])).toEqual([
      [1000, 1],
      [1001, 2],
      [1002, 3],
    ]);
    expect(s.queueDepth.map((p) => p.t)).toEqual([1000, 1001, 1002]);
    expect(s.view.throughput).toBe(s.throughput);
    expect(s.view.snapshot?.clock).toBe(1003_000);
  });

  it('keeps series identity when a snapshot brings no new second', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1001, [sec(1000)]));
    const before = store.getState().throughput;
    store.getState().applySnapshot(snapshot(1001.5, []));
    expect(store.getState().throughput).toBe(before);
    expect(store.getState().view.throughput).toBe(before);
  });

  it('fills from history, then appends tails after it', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1000, []));
    store.getState().applyHistory({ throughput: [sec(997), sec(998), sec(999, 5)], queueDepth: [] });
    store.getState().applySnapshot(snapshot(1001, [sec(999, 7), sec(1000, 2)]));
    expect(store.getState().throughput.map((p) => [p.t, p.counts['payment.authorized']])).toEqual([
      [997, 1],
      [998, 1],
      [999, 5],
      [1000, 2],
    ]);
  });

  it('restarts the series when the session changes', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1001, [sec(1000)]));
    const epoch = store.getState().seriesEpoch;
    store.getState().applySnapshot(snapshot(5001, [sec(5000)], { session: 'replay' }));
    expect(store.getState().throughput.map((p) => p.t)).toEqual([5000]);
    expect(store.getState().seriesEpoch).toBe(epoch + 1);
  });

  it('restarts the series when the clock goes back (replay seek)', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1001, [sec(1000)], { session: 'replay' }));
    store.getState().applySnapshot(snapshot(501, [sec(500)], { session: 'replay' }));
    expect(store.getState().throughput.map((p) => p.t)).toEqual([500]);
  });
});

describe('store: pause', () => {
  it('freezes the view while buffers keep growing, bounded', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1001, [sec(1000)]));
    store.getState().setPaused(true);
    const frozen = store.getState().view;
    for (let i = 1; i <= 3000; i++) store.getState().applySnapshot(snapshot(1001 + i, [sec(1000 + i)]));
    const s = store.getState();
    expect(s.view).toBe(frozen);
    expect(s.view.snapshot?.clock).toBe(1001_000);
    expect(s.view.throughput.map((p) => p.t)).toEqual([1000]);
    expect(s.throughput.length).toBeLessThanOrEqual(1000);
    expect(s.queueDepth.length).toBeLessThanOrEqual(1000);
    expect(s.snapshot?.clock).toBe(4001_000);

    s.setPaused(false);
    const after = store.getState();
    expect(after.paused).toBe(false);
    expect(after.view.snapshot).toBe(after.snapshot);
    expect(after.view.throughput).toBe(after.throughput);
    expect(after.view.throughput[after.view.throughput.length - 1].t).toBe(4000);
  });

  it('history arriving while paused does not change the view', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1001, [sec(1000)]));
    store.getState().togglePause();
    const frozen = store.getState().view;
    store.getState().applyHistory({ throughput: [sec(990)], queueDepth: [] });
    expect(store.getState().view).toBe(frozen);
    expect(store.getState().throughput.length).toBe(2);
    store.getState().togglePause();
    expect(store.getState().view.throughput.length).toBe(2);
  });
});

describe('store: theme and settings', () => {
  it('remembers the theme', () => {
    const storage = memoryStorage();
    const a = createAppStore({ storage, defaultTheme: 'dark' });
    expect(a.getState().theme).toBe('dark');
    a.getState().toggleTheme();
    expect(storage.data.get(THEME_KEY)).toBe('light');
    const b = createAppStore({ storage, defaultTheme: 'dark' });
    expect(b.getState().theme).toBe('light');
  });

  it('survives a storage that throws', () => {
    const storage: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const s = createAppStore({ storage, defaultTheme: 'light' });
    expect(s.getState().theme).toBe('light');
    s.getState().setTheme('dark');
    expect(s.getState().theme).toBe('dark');
  });

  it('orders alerts as it stores them', () => {
    const store = createAppStore();
    const base = {
      severity: 'warning' as const,
      labels: {},
      value: 1,
      peakValue: 1,
      summary: '',
      runbookUrl: null,
      silenced: false,
      acknowledged: null,
      transitions: [],
    };
    const alerts: AlertView[] = [
      { ...base, key: 'r', rule: 'r', state: 'resolved', activeSince: 1, firedAt: 2, resolvedAt: 3 },
      { ...base, key: 'p', rule: 'p', state: 'pending', activeSince: 5, firedAt: null, resolvedAt: null },
      { ...base, key: 'f', rule: 'f', state: 'firing', activeSince: 1, firedAt: 4, resolvedAt: null },
    ];
    store.getState().setAlerts(alerts, 123);
    expect(store.getState().alerts.map((a) => a.key)).toEqual(['f', 'p', 'r']);
    expect(store.getState().alertsLoadedAt).toBe(123);
  });
});

describe('store: late counts of seconds already held (producer lag)', () => {
  it('adds them to the second they belong to, even when it came in the same coalesced snapshot', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(1002, [sec(1000, 1), sec(1001, 2)]));
    store.getState().applySnapshot(snapshot(1003, [sec(1002, 3)], { throughputLate: [sec(1000, 4), sec(1002, 1)] }));
    // A second the store does not hold (older than its points) is left to the history.
    store.getState().applySnapshot(snapshot(1004, [], { throughputLate: [sec(900, 7)] }));
    expect(store.getState().throughput.map((p) => [p.t, p.counts['payment.authorized']])).toEqual([
      [1000, 5],
      [1001, 2],
      [1002, 4],
    ]);
  });
});
