import { useEffect, useState, useSyncExternalStore } from 'react';

/** The wall clock, refreshed every `intervalMs` (only the calling component re-renders). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** The current view id from `#/<id>` (hash routing works under app:// and http://). */
export function useHashRoute(defaultId: string): string {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash, () => '');
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return id || defaultId;
}
