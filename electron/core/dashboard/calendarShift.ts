// "Same time yesterday / last week" as an operator reads it: the same local clock time whole
// calendar days earlier in the zone the dashboard displays, as Grafana's `1d` time shift is.
// A fixed 24 h shifted the compare line by an hour across a daylight-saving change.
import { dateTimeParts } from '../../../shared/format';

/** The wall clock at `ms` in `timeZone`, read as if it were UTC (epoch ms, whole seconds dropped to the instant's ms). */
function wallAsUtc(ms: number, timeZone: string | undefined): number {
  const p = dateTimeParts(ms, timeZone);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) + (((ms % 1000) + 1000) % 1000);
}

/**
 * The instant `days` calendar days from `ms` at the same local clock time in `timeZone`
 * (default: this machine's). A clock time the day does not have (skipped by a spring-forward
 * change) becomes the instant as far from the day's start as the original.
 */
export function shiftCalendarDays(ms: number, days: number, timeZone?: string): number {
  const wall = wallAsUtc(ms, timeZone);
  const wanted = wall + days * 86_400_000;
  // The zone's offset at the answer is not known before the answer: start from the offset at
  // `ms` and correct once (offsets change at most once near any instant).
  let guess = wanted - (wall - ms);
  guess = wanted - (wallAsUtc(guess, timeZone) - guess);
  return guess;
}
