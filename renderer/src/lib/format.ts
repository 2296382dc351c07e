// Number and time formatting for tiles, tables and chart axes: the renderer's choices (a
// dash for no value, which precision where) on shared/format.ts's cached Intl formatters.
import {
  formatClock,
  formatDateTime,
  formatDurationMs,
  formatElapsed,
  formatFixed,
  formatInteger,
  formatMoneyAmount,
  formatNumber,
  formatPercent,
} from '../../../shared/format';
import { countText } from '../../../shared/countText';
import { formatAlertValueText } from '../../../shared/alertValueFormat';
import { minorPerMajor } from '../../../shared/currencies';
import { isolatedLabelsText } from '../../../shared/formatCharacters';

export const DASH = '—';

/** Events per second or per minute: 3 significant digits below 1000, no trailing zeros. */
export function fmtRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return formatInteger(v);
  if (Math.abs(v) >= 100) return formatFixed(v, 0);
  if (Math.abs(v) >= 10) return formatNumber(v, 1);
  return formatNumber(v, 2);
}

/** A 0..1 ratio as a percentage. */
/**
 * An amount in major units of `currency` (a volume chart's step) with that currency's own
 * decimals, as the money tables show it: 0.125 KWD reads "0.125", not fmtRate's "0.13".
 */
export function fmtMajorAmount(major: number | null | undefined, currency: string): string {
  if (major === null || major === undefined || !Number.isFinite(major)) return DASH;
  return formatMoneyAmount(Math.round(major * minorPerMajor(currency)), currency);
}

/** Characters of an amount a KPI tile shows whole ("999,999,999", "9,999,999.99"). */
const TILE_AMOUNT_CHARS = 12;
const compactAmount = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

/**
 * A KPI tile's money: `minor` units of `currency` to its decimals, or, when that is longer
 * than a tile holds (a minute of KRW or IDR, a huge JPY figure), shortened ("3B", "9.01T");
 * `exact` is always the whole amount, for the tile's title ("about ..." past 2^53 minor
 * units, where the sum is a double's and its last digits are near, not exact).
 */
export function fmtTileMoney(minor: number, currency: string): { text: string; exact: string } {
  const exact = `${Number.isSafeInteger(minor) ? '' : 'about '}${formatMoneyAmount(minor, currency)}`;
  if (exact.length <= TILE_AMOUNT_CHARS) return { text: exact, exact };
  return { text: compactAmount.format(minor / minorPerMajor(currency)), exact };
}

/** A 0..1 ratio as a percentage. */
export function fmtPercent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return formatPercent(v, digits);
}

/**
 * An alert's value or peak in its metric's unit ("14 %" for a rate, as the KPI beside it reads),
 * an approval, decline or failure rate saying it is per attempt ("14 % per attempt": issue 13,
 * every rate says which it is); whole numbers grouped, else 3 decimals below 1 and 2 above, when
 * the metric is unknown.
 */
export function fmtAlertValue(v: number | null | undefined, metric?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return formatAlertValueText(v, metric);
}

/** A count, grouped, with its noun in the right form ("1 message", "1,200 messages"): shared/countText's rule. */
export function fmtCountText(n: number, one: string, other?: string): string {
  return countText(n, one, other, fmtCount);
}

export function fmtCount(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return formatInteger(v);
}

export function fmtCompact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${formatFixed(v / 1e9, 1)}G`;
  if (a >= 1e6) return `${formatFixed(v / 1e6, 1)}M`;
  if (a >= 1e4) return `${formatFixed(v / 1e3, 0)}k`;
  if (a >= 1e3) return `${formatFixed(v / 1e3, 1)}k`;
  return Number.isInteger(v) ? String(v) : formatFixed(v, 1);
}

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return formatDurationMs(v);
}

/** HH:MM:SS in local time. */
export function fmtClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return formatClock(ms);
}

/** YYYY-MM-DD HH:MM:SS in local time. */
export function fmtDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return formatDateTime(ms);
}

const zoneNames = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at `ms` ("UTC", "GMT+2"), in `timeZone` (default: this machine's). */
function zoneName(ms: number, timeZone?: string): string {
  const key = timeZone ?? '';
  let f = zoneNames.get(key);
  if (!f) zoneNames.set(key, (f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })));
  return f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** The local zone's short name at `ms` ("GMT+2"), for a time drawn without it where its text is fixed. */
export function fmtZoneAt(ms: number): string {
  return zoneName(ms);
}

/**
 * YYYY-MM-DD HH:MM:SS and the zone's short name ("2026-10-25 02:15:00 GMT+2"), in local time:
 * the hour a DST fall-back repeats reads alike twice without it.
 */
export function fmtDateTimeZone(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return `${formatDateTime(ms)} ${zoneName(ms)}`;
}

/** HH:MM:SS and the zone's short name ("02:30:00 GMT+2"), in local time: a clock a line gives on its own, with no zone near it. */
export function fmtClockZone(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return `${formatClock(ms)} ${zoneName(ms)}`;
}

const millis = (ms: number) => String(((Math.floor(ms) % 1000) + 1000) % 1000).padStart(3, '0');

/** HH:MM:SS.mmm and the zone's short name ("02:30:00.123 GMT+2"), in local time: a payment's steps, ms apart. */
export function fmtClockMsZone(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return `${formatClock(ms)}.${millis(ms)} ${zoneName(ms)}`;
}

/** YYYY-MM-DD HH:MM:SS.mmm and the zone's short name, in local time: one event's instant, as exact as it is stored. */
export function fmtDateTimeMsZone(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return `${formatDateTime(ms)}.${millis(ms)} ${zoneName(ms)}`;
}

/**
 * The zone a column of local times is in, for its heading ("GMT+1"): the cells leave it out to
 * stay narrow. When a DST change lies between the column's earliest and latest time the cells'
 * hour may repeat or jump, so the heading gives both sides ("GMT+2 → GMT+1, the clocks changed").
 * An empty column is in the zone of `whenEmpty`.
 */
export function fmtZoneSpan(times: readonly (number | null)[], whenEmpty: number): string {
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    if (t === null || !Number.isFinite(t)) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  if (first > last) return zoneName(whenEmpty);
  const from = zoneName(first);
  const to = zoneName(last);
  return from === to ? to : `${from} → ${to}, the clocks changed`;
}

/** A local time's cell title: the time with its zone, then the UTC instant ("… GMT+1 · 2026-11-01T08:00:00.250Z"); none without a time. */
export function fmtInstantTitle(ms: number | null | undefined): string | undefined {
  return ms !== null && ms !== undefined && Number.isFinite(ms) ? `${fmtDateTimeMsZone(ms)} · ${new Date(ms).toISOString()}` : undefined;
}

/**
 * A time range as "YYYY-MM-DD HH:MM:SS – YYYY-MM-DD HH:MM:SS ZONE": which zone the chart's
 * times are in, both ends' when a daylight-saving change lies inside (an hour is not lost
 * without saying so). `timeZone` default: this machine's, as the charts draw.
 */
export function fmtRange(fromMs: number, toMs: number, timeZone?: string): string {
  const fromZone = zoneName(fromMs, timeZone);
  const toZone = zoneName(toMs, timeZone);
  const from = formatDateTime(fromMs, timeZone);
  const to = formatDateTime(toMs, timeZone);
  return fromZone === toZone ? `${from} – ${to} ${toZone}` : `${from} ${fromZone} – ${to} ${toZone}`;
}

/** "12 s ago", "3 min ago"; relative to `now`. */
export function fmtAgo(ms: number | null | undefined, now: number): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const d = Math.max(0, now - ms);
  if (d < 1500) return 'just now';
  if (d < 60_000) return `${Math.round(d / 1000)} s ago`;
  if (d < 3_600_000) return `${Math.floor(d / 60_000)} min ago`;
  if (d < 86_400_000) return `${Math.floor(d / 3_600_000)} h ago`;
  return `${Math.floor(d / 86_400_000)} d ago`;
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return formatElapsed(ms);
}

/**
 * Labels as plain text (a notification's body): each value isolated (FIRST STRONG ISOLATE … POP
 * DIRECTIONAL ISOLATE), its undrawn characters as \\uXXXX, as the console's tables draw them.
 */
export function fmtLabels(labels: Record<string, string> | null | undefined): string {
  if (!labels) return '';
  return isolatedLabelsText(Object.entries(labels));
}

export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${formatFixed(n / 1024, 1)} KiB`;
  if (n < 1024 ** 3) return `${formatFixed(n / 1024 ** 2, 1)} MiB`;
  return `${formatFixed(n / 1024 ** 3, 2)} GiB`;
}

/** "1 payment", "12,345 payments". */
export function fmtPayments(n: number): string {
  return countText(n, 'payment', undefined, formatInteger);
}
