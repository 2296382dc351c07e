import { startTransition, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import { TrailingSlot } from './trailingSlot';

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

/**
 * `value`, shown `delayMs` after it changes (the newest value if it changed again meanwhile).
 * The dashboard's live charts all change when a second completes; each drawing in a task of
 * its own, a few hundred milliseconds apart, keeps every task short under load. The update is
 * a transition, so React may also interrupt the drawing for input.
 */
export function useStaggered<T>(value: T, delayMs: number): T {
  const [shown, setShown] = useState(value);
  const slot = useRef<TrailingSlot<T> | null>(null);
  slot.current ??= new TrailingSlot<T>(delayMs, (v) => startTransition(() => setShown(() => v)), value);
  useEffect(() => slot.current!.offer(value), [value]);
  useEffect(() => () => slot.current!.cancel(), []);
  return shown;
}

/**
 * The content width of the element `ref` is attached to, in whole pixels; 0 until it is laid
 * out. Read before the first paint, then kept up to date on resize.
 */
export function useElementWidth<E extends HTMLElement>(): [RefObject<E | null>, number] {
  const ref = useRef<E | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const obs = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    obs.observe(el);
    return () => obs.disconnect();
  }, []);
  return [ref, width];
}
