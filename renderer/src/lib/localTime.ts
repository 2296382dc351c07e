// The local-time text of the datetime-local inputs (explorer window, report window, dashboard
// custom range): "2026-11-23T13:30" or with seconds, in the workstation's zone. Read strictly:
// `new Date(text)` rolls an impossible day over (2026-02-31 became 3 March) and moves a time
// inside a DST spring-forward gap to another hour without a word, so a report or a page would
// cover a window the operator never asked for.
//
// A time a fall-back repeats (02:30 on the night the clocks go back) is read as its first pass,
// the earlier instant, as most tools do; the inputs keep the exact instant they were filled
// from, so a window from a link still comes back as it was.

const LOCAL_TIME = /^(\d{4,6})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const NOT_A_TIME = 'not a valid time';

export type LocalTimeReading = { ms: number } | { error: string };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch ms as a datetime-local value (local time, seconds precision). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (year: number, month: number) => (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]);

/** The workstation's zone by name, for messages ("Europe/Berlin"); '' when the runtime has none. */
export function localZoneName(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    return '';
  }
}

/** The inputs' tooltip: which zone they are in and what a DST change does to a typed time. */
export function localTimeHint(): string {
  const zone = localZoneName();
  return `Local time${zone ? ` (${zone})` : ''}. A time the clocks skip when they go forward is refused; in the hour they go back, a typed time is its first pass (the earlier instant).`;
}

const offsetAt = (ms: number) => new Date(ms).getTimezoneOffset();

/** The wall clock just before and just after the zone's change of offset nearest `ms` (within a day). */
function clockChangeAround(ms: number): { before: string; after: string } | null {
  let lo = ms - 86_400_000;
  let hi = ms + 86_400_000;
  const first = offsetAt(lo);
  if (offsetAt(hi) === first) return null;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === first) lo = mid;
    else hi = mid;
  }
  // `hi` is the first instant on the new offset: the old clock read that instant as `before`.
  const old = new Date(hi - first * 60_000);
  const now = new Date(hi);
  const sameDay = old.getUTCDate() === now.getDate();
  const day = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m + 1)}-${pad(d)} `;
  return {
    before: `${sameDay ? '' : day(old.getUTCFullYear(), old.getUTCMonth(), old.getUTCDate())}${pad(old.getUTCHours())}:${pad(old.getUTCMinutes())}`,
    after: `${sameDay ? '' : day(now.getFullYear(), now.getMonth(), now.getDate())}${pad(now.getHours())}:${pad(now.getMinutes())}`,
  };
}

/**
 * The instant a datetime-local text names in the workstation's zone, or why it names none (a
 * malformed text, a day the calendar does not have, a time the clocks skipped); null when empty.
 * `exact`, the instant the text was made from (toLocalInput), is returned while the text still
 * shows it.
 */
export function readLocalTime(value: string, exact?: number): LocalTimeReading | null {
  const text = value.trim();
  if (!text) return null;
  if (exact !== undefined && Number.isFinite(exact) && toLocalInput(exact) === text) return { ms: exact };
  const m = LOCAL_TIME.exec(text);
  if (!m) return { error: NOT_A_TIME };
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (month < 1 || month > 12) return { error: `${text}: there is no month ${month}` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return { error: `${m[1]}-${m[2]}-${m[3]} does not exist: ${MONTHS[month - 1]} ${year} has ${days} days` };
  }
  if (hour > 23 || minute > 59 || second > 59) return { error: `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day` };
  const at = new Date(2000, 0, 1, 12);
  at.setFullYear(year, month - 1, day);
  at.setHours(hour, minute, second, millis);
  if (!Number.isFinite(at.getTime())) return { error: NOT_A_TIME };
  const shown =
    at.getFullYear() === year && at.getMonth() === month - 1 && at.getDate() === day && at.getHours() === hour && at.getMinutes() === minute && at.getSeconds() === second;
  if (!shown) {
    // Date moved it past a gap the clocks skipped (spring forward): that local time never happened.
    const zone = localZoneName();
    const change = clockChangeAround(at.getTime());
    const jump = change ? `: the clocks went forward from ${change.before} to ${change.after} that day` : ': the clocks went forward over it';
    return { error: `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]} does not exist in local time${zone ? ` (${zone})` : ''}${jump}` };
  }
  return { ms: at.getTime() };
}
