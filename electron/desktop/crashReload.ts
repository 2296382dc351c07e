// Whether a renderer that has gone (crashed, killed, out of memory) is loaded again. One crash is
// reloaded at once; a renderer that crashes on every load is not reloaded in an endless loop
// (a busy CPU and a flooded log): after `max` reloads within `windowMs`, main.ts gives up once,
// says so, and tries again when the window has passed.

export const CRASH_RELOAD_WINDOW_MS = 60_000;

export type CrashDecision = 'reload' | 'give-up' | 'quiet';

export function createCrashReloadGate(max = 3, windowMs = CRASH_RELOAD_WINDOW_MS, now: () => number = Date.now): () => CrashDecision {
  let reloads: number[] = [];
  let gaveUp = false;
  return () => {
    const t = now();
    reloads = reloads.filter((at) => t - at < windowMs);
    if (reloads.length < max) {
      reloads.push(t);
      gaveUp = false;
      return 'reload';
    }
    if (gaveUp) return 'quiet';
    gaveUp = true;
    return 'give-up';
  };
}
