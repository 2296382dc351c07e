/** Exponential backoff with full jitter, capped: 0.25 s, 0.5 s, 1 s, ... up to maxMs. */
export function backoffDelay(attempt: number, baseMs = 250, maxMs = 15_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
