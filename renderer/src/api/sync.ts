// Keeps the store in step with the engine: snapshot pushes (coalesced to the snapshot
// cadence), the initial history, alerts polling and alert pushes, and a full reload
// whenever the transport comes back after being lost.
import type { StoreApi } from 'zustand/vanilla';
import type { AlertNotification } from '../../../shared/alerts';
import { parseMenuPush } from '../../../shared/menuPush';
import { SNAPSHOT_MAX_HZ, type EngineSnapshot, type QueueDepthPoint, type ThroughputPoint } from '../../../shared/metrics';
import { restartsSeries, type AppState } from '../store/store';
import { alertHash } from '../store/alerts';
import { DEFAULT_WINDOW_SECONDS } from '../store/series';
import { playAlertSound, showNotification } from '../lib/notify';
import type { PayopsClient } from './client';

export const ALERTS_POLL_MS = 2_000;
const MIN_APPLY_INTERVAL_MS = Math.floor(1000 / SNAPSHOT_MAX_HZ);
const MAX_PENDING_TAIL = 5_000;

export interface SyncOptions {
  onAlertNotification?: (n: AlertNotification) => void;
  /** Goes to a route, `#/<view>` or an alert's (default: sets location.hash). */
  navigate?: (hash: string) => void;
}

function defaultNavigate(hash: string): void {
  if (typeof window !== 'undefined') window.location.hash = hash;
}

export function startSync(client: PayopsClient, store: StoreApi<AppState>, options: SyncOptions = {}): () => void {
  const st = () => store.getState();
  let stopped = false;

  // --- snapshots: apply at most SNAPSHOT_MAX_HZ; tails of coalesced snapshots are kept.
  let pending: EngineSnapshot | null = null;
  let pendingThroughput: ThroughputPoint[] = [];
  let pendingLate: ThroughputPoint[] = [];
  let pendingDepth: QueueDepthPoint[] = [];
  let lastApply = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    flushTimer = null;
    if (!pending || stopped) return;
    const snapshot: EngineSnapshot = { ...pending, throughputTail: pendingThroughput, throughputLate: pendingLate, queueDepthTail: pendingDepth };
    pending = null;
    pendingThroughput = [];
    pendingLate = [];
    pendingDepth = [];
    lastApply = Date.now();
    st().applySnapshot(snapshot, lastApply);
  }

  function onSnapshot(s: EngineSnapshot): void {
    if (!s || typeof s !== 'object') return;
    // The tails held back are of the series this snapshot restarts (a seek back): their seconds
    // are ahead of its clock, and appended after the restart they showed as the chart's newest.
    if (pending && restartsSeries(pending, s)) {
      pendingThroughput = [];
      pendingLate = [];
      pendingDepth = [];
    }
    pending = s;
    if (s.throughputTail?.length) pendingThroughput = pendingThroughput.concat(s.throughputTail).slice(-MAX_PENDING_TAIL);
    // Late counts are additions: each is kept (they add up in the store), bounded as the tails are.
    if (s.throughputLate?.length) pendingLate = pendingLate.concat(s.throughputLate).slice(-MAX_PENDING_TAIL);
    if (s.queueDepthTail?.length) pendingDepth = pendingDepth.concat(s.queueDepthTail).slice(-MAX_PENDING_TAIL);
    if (flushTimer !== null) return;
    const wait = MIN_APPLY_INTERVAL_MS - (Date.now() - lastApply);
    if (wait <= 0) flush();
    else flushTimer = setTimeout(flush, wait);
  }

  // --- alerts: poll every 2 s (one request at a time) and refresh soon after a push.
  let alertsInFlight = false;
  let alertsTimer: ReturnType<typeof setTimeout> | null = null;

  async function loadAlerts(): Promise<void> {
    if (alertsInFlight || stopped) return;
    alertsInFlight = true;
    try {
      const res = await client.invoke('alerts.list', { includeResolved: true, limit: 200 });
      if (!stopped) st().setAlerts(res.alerts ?? []);
    } catch (err) {
      if (!stopped) st().setAlertsError(err instanceof Error ? err.message : String(err));
    } finally {
      alertsInFlight = false;
    }
  }

  function scheduleAlerts(ms: number): void {
    if (alertsTimer !== null) clearTimeout(alertsTimer);
    alertsTimer = setTimeout(async () => {
      alertsTimer = null;
      await loadAlerts();
      if (!stopped) scheduleAlerts(ALERTS_POLL_MS);
    }, ms);
  }

  function onAlert(n: AlertNotification): void {
    if (!n || typeof n !== 'object') return;
    const state = st();
    // In Electron the main process shows native notifications itself.
    if (state.notifyEnabled && client.status().kind === 'ws') showNotification(n, () => st().noteAlertOpened());
    if (state.soundEnabled) playAlertSound(n.kind, n.severity);
    options.onAlertNotification?.(n);
    scheduleAlerts(150);
  }

  // --- history and the rest of the first picture, again after every reconnect.
  async function loadHistory(): Promise<void> {
    try {
      const h = await client.invoke('metrics.history', { minutes: Math.ceil(DEFAULT_WINDOW_SECONDS / 60) });
      if (stopped) return;
      // A snapshot held back to the cadence was pushed before this answer: the database the
      // history read holds its late events, so it is applied first (to the seconds held before).
      if (flushTimer !== null) {
        clearTimeout(flushTimer);
        flush();
      }
      st().applyHistory(h);
    } catch (err) {
      console.warn('payops: metrics.history failed', err);
    }
  }

  async function reload(): Promise<void> {
    const info = client.invoke('app.info', {}).then((i) => !stopped && st().setInfo(i));
    // The engine's latest snapshot, already pushed: its late counts came with the push (added
    // twice, they doubled those seconds), or are for seconds the history reads from the database.
    const snap = client.invoke('engine.snapshot', {}).then((s) => !stopped && onSnapshot(s && { ...s, throughputLate: [] }));
    await Promise.allSettled([info, snap]);
    await loadHistory();
    scheduleAlerts(0);
  }

  // The desktop main process's commands (shared/menuPush.ts), checked as they arrive: a view
  // switch, pause, theme, the alert a notification's click opens, a link it would not open.
  const navigate = options.navigate ?? defaultNavigate;
  function onMenu(payload: unknown): void {
    const m = parseMenuPush(payload);
    if (m === null) return;
    if (m.command === 'alert.open') {
      st().noteAlertOpened();
      navigate(alertHash(m.key));
    }
    else if (m.command === 'link.blocked') st().setLinkBlocked(m);
    else if (m.command === 'live.togglePause') st().togglePause();
    else if (m.command === 'theme.toggle') st().toggleTheme();
    else navigate(`#/${m.command.slice('view.'.length)}`);
  }

  const offSnapshot = client.on('snapshot', onSnapshot);
  const offAlert = client.on('alert', onAlert);
  const offMenu = client.on('menu', onMenu);

  // Requests made while the transport was down failed: reload once it is open again.
  let needReload = false;
  let lastEpoch = st().seriesEpoch;
  st().setTransport(client.status());
  const offStatus = client.onStatus((s) => {
    st().setTransport(s);
    if (s.state === 'lost') needReload = true;
    else if (s.state === 'open' && needReload) {
      needReload = false;
      void reload();
    }
  });
  const offEpoch = store.subscribe((s) => {
    if (s.seriesEpoch !== lastEpoch) {
      lastEpoch = s.seriesEpoch;
      void loadHistory();
    }
  });

  void reload();

  return () => {
    stopped = true;
    offSnapshot();
    offAlert();
    offMenu();
    offStatus();
    offEpoch();
    if (flushTimer !== null) clearTimeout(flushTimer);
    if (alertsTimer !== null) clearTimeout(alertsTimer);
  };
}
