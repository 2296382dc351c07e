// The explorer's pure logic: the filter form and its translation into request arguments,
// time presets, formatting of rows. Kept apart from the components so it is unit-tested.
import type { EventFilter } from '../../../../shared/explorer';
import { KNOWN_TYPES } from '../../../../shared/events/eventTypes';
import { declineCodeInfo, RETRY_ADVICE_TEXT } from '../../../../shared/declineCodes';
import { minorPerMajor, minorToMajorString, parseMajorAmount } from '../../../../shared/currencies';
import { formatDurationMs, formatMoney } from '../../../../shared/format';

export const EVENT_TYPES = KNOWN_TYPES;

export const RANGE_PRESETS = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: 'all', label: 'All time', ms: 0 },
  { id: 'custom', label: 'Custom range', ms: 0 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

/** The filter form as typed (strings), before it becomes request arguments. */
export interface FilterForm {
  range: RangePreset;
  /** datetime-local values (local time), used when range is 'custom'. */
  from: string;
  to: string;
  types: string[];
  merchantId: string;
  country: string;
  declineCode: string;
  decision: '' | 'approve' | 'review' | 'block';
  /** ISO 4217 code ('' = any currency); required with an amount. */
  currency: string;
  /** Major units of `currency` as typed ("12.50 EUR", "13367 JPY"). */
  amountMin: string;
  amountMax: string;
  search: string;
  order: 'desc' | 'asc';
}

export const EMPTY_FORM: FilterForm = {
  range: 'all',
  from: '',
  to: '',
  types: [],
  merchantId: '',
  country: '',
  declineCode: '',
  decision: '',
  currency: '',
  amountMin: '',
  amountMax: '',
  search: '',
  order: 'desc',
};

/** A datetime-local string (local time) as epoch ms; null when empty or invalid. */
export function parseLocal(value: string): number | null {
  if (!value.trim()) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** Epoch ms as a datetime-local value (local time, seconds precision). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export interface FilterProblem {
  field: keyof FilterForm;
  message: string;
}

/** The request filter for a form, relative to `clock` for the presets; or the first problem. */
export function toEventFilter(form: FilterForm, clock: number): { filter: EventFilter } | { problem: FilterProblem } {
  const filter: EventFilter = {};
  if (form.range === 'custom') {
    const from = parseLocal(form.from);
    const to = parseLocal(form.to);
    if (form.from.trim() && from === null) return { problem: { field: 'from', message: 'not a valid time' } };
    if (form.to.trim() && to === null) return { problem: { field: 'to', message: 'not a valid time' } };
    if (from !== null && to !== null && to <= from) return { problem: { field: 'to', message: 'must be after "from"' } };
    if (from !== null) filter.from = from;
    if (to !== null) filter.to = to;
  } else if (form.range !== 'all') {
    const preset = RANGE_PRESETS.find((p) => p.id === form.range)!;
    filter.from = Math.max(0, Math.floor(clock - preset.ms));
  }
  if (form.types.length) filter.types = [...form.types];
  const text = (v: string) => v.trim();
  if (text(form.merchantId)) filter.merchantId = text(form.merchantId);
  if (text(form.country)) filter.country = text(form.country).toUpperCase();
  if (text(form.declineCode)) filter.declineCode = text(form.declineCode);
  if (form.decision) filter.decision = form.decision;
  const currency = text(form.currency).toUpperCase();
  if (currency && !/^[A-Z]{3}$/.test(currency)) return { problem: { field: 'currency', message: 'a currency is three letters (ISO 4217): EUR, JPY, KWD' } };
  if (currency) filter.currency = currency;
  for (const field of ['amountMin', 'amountMax'] as const) {
    const typed = text(form[field]);
    if (!typed) continue;
    if (!currency) return { problem: { field: 'currency', message: 'choose the currency the amount is in' } };
    const parsed = parseMajorAmount(typed, currency);
    if (!parsed.ok) return { problem: { field, message: parsed.message } };
    filter[field] = parsed.minor;
  }
  if (filter.amountMin !== undefined && filter.amountMax !== undefined && filter.amountMax < filter.amountMin) {
    return { problem: { field: 'amountMax', message: 'must not be below the minimum' } };
  }
  if (text(form.search)) filter.search = text(form.search);
  return { filter };
}

/** The report window a filter implies: its range, or the last 24 hours before `clock`. */
export function reportWindowOf(filter: EventFilter, clock: number): { from: number; to: number } {
  const to = filter.to ?? Math.floor(clock) + 1;
  const from = filter.from ?? to - 86_400_000;
  return { from, to };
}

/** What the amount inputs are in: "EUR", or a prompt to choose the currency first. */
export function amountUnit(currency: string): string {
  const c = currency.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(c) ? c : 'choose a currency';
}

/** An example amount in major units of the currency: "12.50" for EUR, "1250" for JPY, "1.250" for KWD. */
export function amountPlaceholder(currency: string): string {
  const c = currency.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(c) ? minorToMajorString(12 * minorPerMajor(c) + Math.floor(minorPerMajor(c) / 2), c) : 'amount';
}

/** An event's amount (minor units) in major units of its own currency: "13,367 JPY", "12.50 EUR". */
export function fmtAmount(amount: number | null, currency: string | null): string {
  if (amount === null) return '';
  return formatMoney(amount, currency);
}

/** Pretty-prints the stored CloudEvent text; the text itself when it does not parse. */
export function prettyJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** A decline code's meaning and what to do about it, for a tooltip. */
export function declineTitle(code: string): string {
  const d = declineCodeInfo(code);
  return `${d.code}: ${d.meaning}. ${d.kind === 'hard' ? 'Hard' : 'Soft'} decline (Visa category ${d.visaCategory}): ${RETRY_ADVICE_TEXT[d.retry]}.${d.note ? ` ${d.note}.` : ''}`;
}

/** "+1.2 s", "+350 ms" between timeline steps. */
export function fmtDelta(ms: number | null): string {
  if (ms === null) return 'start';
  if (ms < 1000) return `+${ms} ms`;
  return `+${formatDurationMs(ms)}`;
}
