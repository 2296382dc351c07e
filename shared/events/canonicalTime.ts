// The canonical RFC 3339 form ("YYYY-MM-DDTHH:MM:SS.sssZ", what Date#toISOString writes), read
// without a regular expression or a Date: the decoder parses every event's time with it, and the
// stored text tests with it whether an event's time is its time column's ISO string.

/** Days in each month of a common year (February 29 in a leap year: daysInMonth). */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian leap years (proleptic, as RFC 3339 and Date use): 2000 and 2024 are, 1900 and 2025 are not. */
function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** The number of days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(value: string, at: number): number {
  const a = value.charCodeAt(at) - 48;
  const b = value.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The form nearly every producer writes, "YYYY-MM-DDTHH:MM:SS.sssZ" (Date#toISOString), read
 * without a regular expression (the general path cost ~1.2 us per event, a few % of a replay).
 * Undefined for anything else, including a leap second, so the general path decides those.
 */
export function canonicalUtcMs(value: string): number | undefined {
  // A replay reads each event's time three times (the capture reader's arrival, the decoder's
  // time, the stored text's check), each time the same string: the last answer is kept.
  if (value === lastText) return lastMs;
  const ms = readCanonicalUtcMs(value);
  lastText = value;
  lastMs = ms;
  return ms;
}

/** The text canonicalUtcMs read last, and what it read. */
let lastText = '';
let lastMs: number | undefined;

function readCanonicalUtcMs(value: string): number | undefined {
  if (value.length !== 24 || value.charCodeAt(23) !== 90 /* Z */ || value.charCodeAt(10) !== 84 /* T */) return undefined;
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 46) return undefined;
  const century = twoDigits(value, 0);
  const year = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  const msHigh = twoDigits(value, 20);
  const msLow = value.charCodeAt(22) - 48;
  if (century < 0 || year < 0 || msHigh < 0 || msLow < 0 || msLow > 9) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  const fullYear = century * 100 + year;
  // Date.UTC reads years 0-99 as 1900-1999: leave those to the general path.
  if (fullYear < 100) return undefined;
  // Date.UTC rolls an impossible day over (February 30 to March 2): leave it to the general path, which refuses it.
  if (day > 28 && day > daysInMonth(fullYear, month)) return undefined;
  return Date.UTC(fullYear, month - 1, day, hour, minute, second, msHigh * 10 + msLow);
}

/** The latest instant Date#toISOString writes with a four-digit year (9999-12-31T23:59:59.999Z). */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/**
 * Whether `text` is `new Date(ms).toISOString()`, for `ms` >= 0, without making that string (a
 * Date and its formatting cost ~7,500 instructions per stored event, 3 % of a PaySim replay's).
 * Text in the canonical form is what toISOString writes for the instant it reads as, and for no
 * other: the two are equal exactly when that instant is `ms` (as a Date holds it: truncated to
 * the millisecond). Anything else (other spellings, years before 100 or after 9999) is compared
 * with toISOString's own text.
 */
export function isIsoStringOf(text: string, ms: number): boolean {
  const parsed = ms <= LAST_FOUR_DIGIT_YEAR_MS ? canonicalUtcMs(text) : undefined;
  return parsed !== undefined ? parsed === Math.trunc(ms) : text === new Date(ms).toISOString();
}
