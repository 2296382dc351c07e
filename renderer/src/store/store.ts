// The renderer's state: the newest engine snapshot, bounded chart series built from the
// snapshots' tails, what the screen shows (frozen while paused), alerts, theme and the
// transport status. A snapshot push changes the state at most once per snapshot, and the
// series arrays keep their identity when a snapshot brings no new second, so the charts
// re-render only when they have something new.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppInfo } from '../../../shared/api';
import type { AlertView } from '../../../shared/alerts';
import type { LinkBlocked } from '../../../shared/menuPush';
import type { EngineSnapshot, QueueDepthPoint, ThroughputPoint } from '../../../shared/metrics';
import type { TransportStatus } from '../api/client';
import { orderAlerts } from './alerts';
import {
  appendDepth,
  addLateThroughput,
  appendThroughput,
  DEFAULT_LIMITS,
  fillDepth,
  fillThroughput,
  type DPoint,
  type SeriesLimits,
  type TPoint,
} from './series';

export type Theme = 'dark' | 'light';

export interface ViewState {
  snapshot: EngineSnapshot | null;
  throughput: TPoint[];
  queueDepth: DPoint[];
}

export interface AppState {
  transport: TransportStatus | null;
  info: AppInfo | null;
  /** The newest snapshot, whether or not the view is paused. */
  snapshot: EngineSnapshot | null;
  /** Local time the newest snapshot arrived (ms). */
  receivedAt: number | null;
  /** Live buffers: always appended and bounded, also while paused. */
  throughput: TPoint[];
  queueDepth: DPoint[];
  /** Bumped when the series were reset (new session, clock went back): history is refetched. */
  seriesEpoch: number;
  /** What the dashboard draws: follows the buffers, frozen while paused. */
  view: ViewState;
  paused: boolean;
  pausedAt: number | null;
  theme: Theme;
  alerts: AlertView[];
  alertsLoadedAt: number | null;
  alertsError: string | null;
  notifyEnabled: boolean;
  soundEnabled: boolean;
  /** The link the desktop app last refused to open (its host and why), until dismissed. */
  linkBlocked: LinkBlocked | null;
  /** Counts notification clicks: a second click on the alert already open scrolls to it again (its route is the same). */
  alertOpenings: number;

  applySnapshot(snapshot: EngineSnapshot, receivedAt?: number): void;
  applyHistory(history: { throughput: ThroughputPoint[]; queueDepth: QueueDepthPoint[] }): void;
  setPaused(paused: boolean): void;
  togglePause(): void;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  setAlerts(alerts: AlertView[], at?: number): void;
  setAlertsError(error: string | null): void;
  setTransport(status: TransportStatus): void;
  setInfo(info: AppInfo): void;
  setNotifyEnabled(on: boolean): void;
  setSoundEnabled(on: boolean): void;
  setLinkBlocked(notice: LinkBlocked | null): void;
  noteAlertOpened(): void;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface StoreOptions {
  storage?: KeyValueStorage | null;
  limits?: SeriesLimits;
  /** Theme when none is remembered. */
  defaultTheme?: Theme;
  now?: () => number;
}

export const THEME_KEY = 'payops.theme';
export const NOTIFY_KEY = 'payops.notify';
export const SOUND_KEY = 'payops.sound';
/** A clock going back more than this (a replay seek) restarts the series. */
const CLOCK_BACK_RESET_MS = 5_000;

/** Whether `next` starts the chart series again after `prev`: another session, or a clock gone back (a replay seek). */
export function restartsSeries(prev: Pick<EngineSnapshot, 'session' | 'clock'>, next: Pick<EngineSnapshot, 'session' | 'clock'>): boolean {
  return prev.session !== next.session || next.clock < prev.clock - CLOCK_BACK_RESET_MS;
}

function read(storage: KeyValueStorage | null | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: KeyValueStorage | null | undefined, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // storage full or disabled: the setting lasts for this session only
  }
}

function clockSeconds(s: EngineSnapshot): number | undefined {
  return Number.isFinite(s.clock) ? Math.floor(s.clock / 1000) : undefined;
}

export function createAppStore(options: StoreOptions = {}): StoreApi<AppState> {
  const storage = options.storage;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = options.now ?? (() => Date.now());
  const remembered = read(storage, THEME_KEY);
  const theme: Theme = remembered === 'light' || remembered === 'dark' ? remembered : (options.defaultTheme ?? 'dark');

  return createStore<AppState>()((set, get) => ({
    transport: null,
    info: null,
    snapshot: null,
    receivedAt: null,
    throughput: [],
    queueDepth: [],
    seriesEpoch: 0,
    view: { snapshot: null, throughput: [], queueDepth: [] },
    paused: false,
    pausedAt: null,
    theme,
    alerts: [],
    alertsLoadedAt: null,
    alertsError: null,
    notifyEnabled: read(storage, NOTIFY_KEY) === '1',
    soundEnabled: read(storage, SOUND_KEY) === '1',
    linkBlocked: null,
    alertOpenings: 0,

    applySnapshot(snapshot, receivedAt = now()) {
      const st = get();
      const prev = st.snapshot;
      let throughput = st.throughput;
      let queueDepth = st.queueDepth;
      let seriesEpoch = st.seriesEpoch;
      if (prev && restartsSeries(prev, snapshot)) {
        throughput = [];
        queueDepth = [];
        seriesEpoch++;
      }
      const nowSec = clockSeconds(snapshot);
      throughput = appendThroughput(throughput, snapshot.throughputTail ?? [], limits, nowSec);
      // After the tail: a late count may be for a second this same (coalesced) snapshot brings.
      if (snapshot.throughputLate?.length) throughput = addLateThroughput(throughput, snapshot.throughputLate);
      queueDepth = appendDepth(queueDepth, snapshot.queueDepthTail ?? [], limits, nowSec);
      const view = st.paused ? st.view : { snapshot, throughput, queueDepth };
      set({ snapshot, receivedAt, throughput, queueDepth, seriesEpoch, view });
    },

    applyHistory(history) {
      const st = get();
      const nowSec = st.snapshot ? clockSeconds(st.snapshot) : undefined;
      const throughput = fillThroughput(st.throughput, history.throughput ?? [], limits, nowSec);
      const queueDepth = fillDepth(st.queueDepth, history.queueDepth ?? [], limits, nowSec);
      if (throughput === st.throughput && queueDepth === st.queueDepth) return;
      const view = st.paused ? st.view : { snapshot: st.snapshot, throughput, queueDepth };
      set({ throughput, queueDepth, view });
    },

    setPaused(paused) {
      const st = get();
      if (st.paused === paused) return;
      if (paused) {
        set({ paused: true, pausedAt: now() });
      } else {
        set({
          paused: false,
          pausedAt: null,
          view: { snapshot: st.snapshot, throughput: st.throughput, queueDepth: st.queueDepth },
        });
      }
    },
    togglePause() {
      get().setPaused(!get().paused);
    },

    setTheme(next) {
      write(storage, THEME_KEY, next);
      set({ theme: next });
    },
    toggleTheme() {
      get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
    },

    setAlerts(alerts, at = now()) {
      set({ alerts: orderAlerts(alerts), alertsLoadedAt: at, alertsError: null });
    },
    setAlertsError(error) {
      set({ alertsError: error });
    },
    setTransport(status) {
      set({ transport: status });
    },
    setInfo(info) {
      set({ info });
    },
    setNotifyEnabled(on) {
      write(storage, NOTIFY_KEY, on ? '1' : '0');
      set({ notifyEnabled: on });
    },
    setSoundEnabled(on) {
      write(storage, SOUND_KEY, on ? '1' : '0');
      set({ soundEnabled: on });
    },
    setLinkBlocked(notice) {
      set({ linkBlocked: notice });
    },
    noteAlertOpened() {
      set({ alertOpenings: get().alertOpenings + 1 });
    },
  }));
}
