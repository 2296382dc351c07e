// The app's replay store instance (created on first use, on the app's client) and its hook.
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { getClient } from '../api/client';
import { createReplayStore, type ReplayState } from './replay';

let instance: StoreApi<ReplayState> | null = null;

export function getReplayStore(): StoreApi<ReplayState> {
  instance ??= createReplayStore(getClient());
  return instance;
}

/** Subscribe to one slice of the replay store. */
export function useReplay<T>(selector: (s: ReplayState) => T): T {
  return useStore(getReplayStore(), selector);
}
