// "Same time yesterday / last week" as an operator reads it: the same local clock time whole
// calendar days earlier in the zone the dashboard displays, as Grafana's `1d` time shift is.
// A fixed 24 h shifted the compare line by an hour across a daylight-saving change.

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = partFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partFormats.set(key, f);
  }
  return f;
}

/** The wall clock at `ms` in `timeZone`, read as if it were UTC (epoch ms, whole seconds dropped to the instant's ms). */
function wallAsUtc(ms: number, timeZone: string | undefined): number {
  const p: Record<string, number> = {};
  for (const part of partFormat(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (((ms % 1000) + 1000) % 1000);
}

/**
 * The instant `days` calendar days from `ms` at the same local clock time in `timeZone`
 * (default: this machine's). A clock time the day does not have (skipped by a spring-forward
 * change) becomes the instant as far from the day's start as the original.
 */
export function shiftCalendarDays(ms: number, days: number, timeZone?: string): number {
  const wanted = wallAsUtc(ms, timeZone) + days * 86_400_000;
  // The zone's offset at the answer is not known before the answer: start from the offset at
  // `ms` and correct once (offsets change at most once near any instant).
  let guess = wanted - (wallAsUtc(ms, timeZone) - ms);
  guess = wanted - (wallAsUtc(guess, timeZone) - guess);
  return guess;
}
