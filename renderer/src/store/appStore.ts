// The app's single store instance and its React hook.
import { useStore } from 'zustand';
import { createAppStore, type AppState, type KeyValueStorage } from './store';

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null;
  }
}

function preferredTheme(): 'dark' | 'light' {
  try {
    return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export const appStore = createAppStore({ storage: browserStorage(), defaultTheme: preferredTheme() });

/** Subscribe to one slice; pick primitives or stable references so renders stay rare. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
