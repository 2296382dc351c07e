// The dashboard's time range: a preset that follows "now" (the engine clock: wall time live,
// event time in a replay), or a fixed past range (picked, or dragged on a chart) that has
// stopped following. Plus what the charts are compared with. Pure functions + a small store.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { DASHBOARD_MAX_RANGE_MS, type CompareWith } from '../../../shared/dashboardApi';

export const RANGE_PRESETS = [
  { id: '15m', label: '15 m', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3600_000 },
  { id: '7d', label: '7 d', ms: 7 * 24 * 3600_000 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

/** The smallest range one can zoom into: one per-minute rollup step either side. */
export const MIN_RANGE_MS = 2 * 60_000;

export interface RangeState {
  preset: RangePreset | 'custom';
  /** Following now: the window ends at the engine clock and moves with it. */
  following: boolean;
  /** The fixed window when not following (epoch ms). */
  fromMs: number | null;
  toMs: number | null;
  compare: CompareWith;
  /** The preset before a zoom, so "back to live" returns to it. */
  lastPreset: RangePreset;
}

export interface RangeActions {
  choosePreset(preset: RangePreset): void;
  /** A fixed range (custom picker or a drag on a chart): stops following. */
  fixRange(fromMs: number, toMs: number): void;
  follow(): void;
  setCompare(compare: CompareWith): void;
}

export const INITIAL_RANGE: RangeState = { preset: '15m', following: true, fromMs: null, toMs: null, compare: 'none', lastPreset: '15m' };

export function presetMs(preset: RangePreset): number {
  return RANGE_PRESETS.find((p) => p.id === preset)!.ms;
}

/** The window the charts show at engine clock `clockMs`, or null before any clock is known. */
export function rangeWindow(s: RangeState, clockMs: number | null): { fromMs: number; toMs: number } | null {
  if (!s.following && s.fromMs !== null && s.toMs !== null) return { fromMs: s.fromMs, toMs: s.toMs };
  if (clockMs === null) return null;
  const ms = presetMs(s.preset === 'custom' ? s.lastPreset : s.preset);
  // The window ends at the end of the current minute: the per-minute rollups' newest step.
  const toMs = Math.ceil((clockMs + 1) / 60_000) * 60_000;
  return { fromMs: toMs - ms, toMs };
}

/**
 * The window `factor` times as long around the same centre (2: zoom out, 0.5: zoom in), kept
 * between MIN_RANGE_MS and the dashboard's 31 days, in whole minutes (the rollups' step).
 * It never ends past the current minute (`clockMs`'s), where a followed window ends: one that
 * would keeps its length and ends there.
 */
export function zoomWindow(w: { fromMs: number; toMs: number }, factor: number, clockMs: number): { fromMs: number; toMs: number } {
  const length = Math.min(DASHBOARD_MAX_RANGE_MS, Math.max(MIN_RANGE_MS, (w.toMs - w.fromMs) * factor));
  const centre = (w.fromMs + w.toMs) / 2;
  return inWholeMinutes(centre + length / 2, length, clockMs);
}

/** The window moved by `fraction` of its length (negative: back in time), never past the current minute. */
export function panWindow(w: { fromMs: number; toMs: number }, fraction: number, clockMs: number): { fromMs: number; toMs: number } {
  const length = w.toMs - w.fromMs;
  return inWholeMinutes(w.toMs + length * fraction, length, clockMs);
}

function inWholeMinutes(toMs: number, lengthMs: number, clockMs: number): { fromMs: number; toMs: number } {
  const length = Math.max(1, Math.round(lengthMs / 60_000)) * 60_000;
  const end = Math.min(Math.round(toMs / 60_000) * 60_000, Math.ceil((clockMs + 1) / 60_000) * 60_000);
  return { fromMs: end - length, toMs: end };
}

/**
 * A normalised fixed range: ordered, whole minutes around what was picked (the host reads
 * per-minute rollups from the first minute's start to the last one's end, so those are the
 * times the figures cover and the status line shows), at least MIN_RANGE_MS.
 */
export function normaliseRange(a: number, b: number): { fromMs: number; toMs: number } {
  let fromMs = Math.floor(Math.min(a, b) / 60_000) * 60_000;
  let toMs = Math.max(fromMs + 60_000, Math.ceil(Math.max(a, b) / 60_000) * 60_000);
  if (toMs - fromMs < MIN_RANGE_MS) {
    const mid = (fromMs + toMs) / 2;
    fromMs = Math.floor((mid - MIN_RANGE_MS / 2) / 60_000) * 60_000;
    toMs = fromMs + MIN_RANGE_MS;
  }
  return { fromMs, toMs };
}

export function createRangeStore(initial: RangeState = INITIAL_RANGE) {
  return createStore<RangeState & RangeActions>()((set) => ({
    ...initial,
    choosePreset: (preset) => set({ preset, lastPreset: preset, following: true, fromMs: null, toMs: null }),
    fixRange: (a, b) => set({ ...normaliseRange(a, b), preset: 'custom', following: false }),
    follow: () => set((s) => ({ preset: s.lastPreset, following: true, fromMs: null, toMs: null })),
    setCompare: (compare) => set({ compare }),
  }));
}

export const rangeStore = createRangeStore();

export function useRange<T>(selector: (s: RangeState & RangeActions) => T): T {
  return useStore(rangeStore, selector);
}
