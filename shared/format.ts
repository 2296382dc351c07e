// Numbers, percentages, durations and dates as payops writes them, on both sides (renderer,
// alert summaries, reports, CLI): one module on cached Intl formatters instead of toFixed
// and string padding spread over the code. The locale is fixed (en-US digits and grouping,
// 24-hour clock) so that a report, a log line or a test reads the same on every machine.
// Pure: no Node or browser API beyond the language's Intl (shared/ imports nothing).

import { knownCurrencyDigits, minorToMajorString } from './currencies';

const LOCALE = 'en-US';
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

// Building an Intl formatter costs far more than using one: keep one per option set, under a
// key the caller builds cheaply (JSON.stringify of the options on every call was most of the
// cost of formatting a number: alert summaries format thousands a second).
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(LOCALE, options)));
  return f;
}

function dateFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE, {
      era: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone,
    });
    dateFormats.set(key, f);
  }
  return f;
}

export interface NumberStyle {
  /** Fewest decimals shown (default 0: trailing zeros dropped). */
  minDigits?: number;
  /** Thousands separators (default false: 1234.5). */
  grouping?: boolean;
  /** '+' before positive numbers and zero. */
  sign?: boolean;
}

/** At most `maxDigits` decimals, rounded: formatNumber(12.345, 1) = "12.3", formatNumber(3, 2) = "3". */
export function formatNumber(v: number, maxDigits: number, style: NumberStyle = {}): string {
  const minDigits = Math.min(style.minDigits ?? 0, maxDigits);
  const grouping = style.grouping ?? false;
  const sign = style.sign ?? false;
  return numberFormat(`${minDigits}|${maxDigits}|${grouping}|${sign}`, {
    minimumFractionDigits: minDigits,
    maximumFractionDigits: maxDigits,
    useGrouping: grouping,
    // 'negative': no sign on a zero, so a tiny negative that rounds to 0 reads "0", not "-0".
    signDisplay: sign ? 'always' : 'negative',
  }).format(v);
}

/** Exactly `digits` decimals, as toFixed wrote them: formatFixed(2, 1) = "2.0". */
export function formatFixed(v: number, digits: number, style: Omit<NumberStyle, 'minDigits'> = {}): string {
  return formatNumber(v, digits, { ...style, minDigits: digits });
}

/** A whole number with thousands separators: "12,345". */
export function formatInteger(v: number): string {
  return formatNumber(Math.round(v), 0, { grouping: true });
}

/** A 0..1 ratio as a percentage with `digits` decimals: formatPercent(0.1234, 1) = "12.3%". */
export function formatPercent(ratio: number, digits: number, style: NumberStyle = {}): string {
  return `${formatFixed(ratio * 100, digits, style)}%`;
}

/**
 * An amount of `minor` units of `currency` in major units, with the currency's own number of
 * decimals (ISO 4217, shared/currencies.ts) laid out by Intl: formatMoneyAmount(13367, 'JPY')
 * = "13,367", (1250, 'EUR') = "12.50", (1250, 'KWD') = "1.250". Grouped unless told not to.
 * A code whose decimals nobody knows keeps its minor units: (1250, 'ZZZ') = "1,250 (minor units)".
 */
export function formatMoneyAmount(minor: number, currency: string, style: { grouping?: boolean } = {}): string {
  if (knownCurrencyDigits(currency) === null) return `${formatNumber(Math.round(minor), 0, { grouping: style.grouping ?? true })} (minor units)`;
  // Exact at any size: the digits are split as text (no division in floating point), and Intl
  // groups the whole part (an integer, so exact below 2^53).
  const [whole, fraction] = minorToMajorString(Math.round(minor), currency).split('.');
  const negative = whole.startsWith('-');
  const grouped = formatNumber(Number(negative ? whole.slice(1) : whole), 0, { grouping: style.grouping ?? true });
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/**
 * An amount with its currency code, the way payops shows money everywhere (explorer,
 * timeline, KPIs, reports): "13,367 JPY", "12.50 EUR", "1.250 KWD". Without a currency the
 * number cannot be read as money: it is shown as what it is, "1,250 (minor units)"; so is it
 * in a code whose decimals nobody knows, "1,250 (minor units of ZZZ)".
 */
export function formatMoney(minor: number, currency: string | null | undefined, style: { grouping?: boolean } = {}): string {
  if (!currency) return `${formatNumber(minor, 0, { grouping: style.grouping ?? true })} (minor units)`;
  if (knownCurrencyDigits(currency) === null) return `${formatNumber(minor, 0, { grouping: style.grouping ?? true })} (minor units of ${currency})`;
  return `${formatMoneyAmount(minor, currency, style)} ${currency}`;
}

/**
 * A sum of amounts as formatMoney writes it, with "about " before it once it is past 2^53
 * minor units: there a double (and the rollups' sums) no longer holds every integer, and the
 * last digits shown are near the true sum, not it (reports say the same).
 */
export function formatMoneyTotal(minor: number, currency: string | null | undefined): string {
  return `${Number.isSafeInteger(minor) ? '' : 'about '}${formatMoney(minor, currency)}`;
}

/** "850 ms", "1.25 s", "12.5 s", "3.5 min", "1.5 h". */
export function formatDurationMs(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${formatFixed(ms / 1000, a < 10_000 ? 2 : 1)} s`;
  if (a < 3_600_000) return `${formatFixed(ms / 60_000, 1)} min`;
  if (a < 172_800_000) return `${formatFixed(ms / 3_600_000, 1)} h`;
  return `${formatFixed(ms / 86_400_000, 1)} d`;
}

/** Elapsed time, whole seconds: "45s", "3m 05s", "2h 03m". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const two = numberFormat('two-digit', { minimumIntegerDigits: 2, useGrouping: false });
  if (m < 60) return `${m}m ${two.format(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${two.format(m % 60)}m`;
}

/** Seconds with one decimal, for "took" figures: formatSeconds(2000) = "2.0 s". */
export function formatSeconds(ms: number): string {
  return `${formatFixed(ms / 1000, 1)} s`;
}

/** Date and time parts in `timeZone` (default: the machine's), two digits each, the year four (ISO 8601). */
export function dateTimeParts(ms: number, timeZone?: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const out = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  let bc = false;
  for (const p of dateFormat(timeZone).formatToParts(ms)) {
    if (p.type === 'era') bc = p.value === 'BC';
    else if (p.type in out) out[p.type as keyof typeof out] = p.value;
  }
  out.year = isoYear(Number(out.year), bc);
  return out;
}

// Intl writes the year unpadded and counts years BC from 1 (1 BC, 2 BC); ISO 8601 writes four
// digits and counts through a year 0000 (1 BC), then -0001.
function isoYear(year: number, bc: boolean): string {
  const n = bc ? 1 - year : year;
  return `${n < 0 ? '-' : ''}${String(Math.abs(n)).padStart(4, '0')}`;
}

/** "HH:MM:SS" (24-hour) in `timeZone`, default the machine's. */
export function formatClock(ms: number, timeZone?: string): string {
  const p = dateTimeParts(ms, timeZone);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** "YYYY-MM-DD HH:MM:SS" (24-hour) in `timeZone`, default the machine's. */
export function formatDateTime(ms: number, timeZone?: string): string {
  const p = dateTimeParts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "HH:MM", or "MM-DD HH:MM", in `timeZone`, default the machine's. */
export function formatHourMinute(ms: number, timeZone?: string, withDate = false): string {
  const p = dateTimeParts(ms, timeZone);
  return withDate ? `${p.month}-${p.day} ${p.hour}:${p.minute}` : `${p.hour}:${p.minute}`;
}
