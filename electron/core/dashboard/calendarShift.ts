// "Same time yesterday / last week" as an operator reads it: the same local clock time whole
// calendar days earlier in the zone the dashboard displays, as Grafana's `1d` time shift is.
// A fixed 24 h shifted the compare line by an hour across a daylight-saving change.

/** The first and last instants a Date holds (ms either way of 1970). */
const DATE_LIMIT_MS = 8.64e15;
const DAY_MS = 86_400_000;

const wallFormats = new Map<string, Intl.DateTimeFormat>();
/** Year with its era: years before 1 AD read '1 BC' and so on, and Date.UTC reads 0-99 as 1900-1999. */
function wallFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = wallFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23', timeZone,
    });
    wallFormats.set(key, f);
  }
  return f;
}

/** The wall clock at `ms` in `timeZone`, read as if it were UTC (epoch ms; the instant's ms kept). */
function wallAsUtc(ms: number, timeZone: string | undefined): number {
  const p: Record<string, string> = {};
  for (const part of wallFormat(timeZone).formatToParts(ms)) p[part.type] = part.value;
  // Proleptic Gregorian, astronomical years: 1 BC is year 0, 2 BC year -1.
  const year = /^B/i.test(p.era ?? '') ? 1 - Number(p.year) : Number(p.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
  wall.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second), ((ms % 1000) + 1000) % 1000);
  return wall.getTime();
}

/**
 * The instant `days` calendar days from `ms` at the same local clock time in `timeZone`
 * (default: this machine's). A clock time the day does not have (skipped by a spring-forward
 * change) becomes the instant as far from the day's start as the original. Where the answer
 * or the wall clock it goes through is past the times a Date holds, it is `days` whole days of
 * 24 h (no event is stored there, and a zone's clock that long ago is its fixed local mean time).
 */
export function shiftCalendarDays(ms: number, days: number, timeZone?: string): number {
  const margin = (Math.abs(days) + 2) * DAY_MS;
  if (Math.abs(ms) > DATE_LIMIT_MS - margin) return ms + days * DAY_MS;
  const wall = wallAsUtc(ms, timeZone);
  const wanted = wall + days * DAY_MS;
  // The zone's offset at the answer is not known before the answer: start from the offset at
  // `ms` and correct once (offsets change at most once near any instant).
  let guess = wanted - (wall - ms);
  guess = wanted - (wallAsUtc(guess, timeZone) - guess);
  return guess;
}
