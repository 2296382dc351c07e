// Waiting for a condition in a test instead of sleeping for a guessed time: polls `check`
// until it returns a truthy value (returned), and fails naming `what` after `timeoutMs` (a
// function is asked at the failure, so the message can say what the last look saw).
// The poll interval is only how often to look; the test waits for the condition itself.
export async function waitFor<T>(check: () => T | Promise<T>, what: string | (() => string), timeoutMs = 10_000, everyMs = 10): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A wall clock that moves only when the test says so, for code that takes a `now` option. */
export function manualClock(startMs = Date.UTC(2030, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = startMs;
  return { now: () => t, advance: (ms) => (t += ms) };
}
