// The dashboard's time range: a preset that follows "now" (the engine clock: wall time live,
// event time in a replay), or a fixed past range (picked, or dragged on a chart) that has
// stopped following. Plus what the charts are compared with. Pure functions + a small store.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { CompareWith } from '../../../shared/dashboardApi';

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

/** A normalised fixed range: ordered, at least MIN_RANGE_MS, whole milliseconds. */
export function normaliseRange(a: number, b: number): { fromMs: number; toMs: number } {
  let fromMs = Math.floor(Math.min(a, b));
  let toMs = Math.ceil(Math.max(a, b));
  if (toMs - fromMs < MIN_RANGE_MS) {
    const mid = (fromMs + toMs) / 2;
    fromMs = Math.floor(mid - MIN_RANGE_MS / 2);
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
