// The explorer's pure logic: the filter form and its translation into request arguments,
// time presets, formatting of rows. Kept apart from the components so it is unit-tested.
import type { EventFilter } from '../../../../shared/explorer';
import { KNOWN_TYPES } from '../../../../shared/events/eventTypes';
import { formatDurationMs, formatMinorUnits } from '../../../../shared/format';

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
  /** Minor units. */
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

const amount = (v: string): number | null | 'bad' => {
  if (!v.trim()) return null;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : 'bad';
};

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
  const min = amount(form.amountMin);
  const max = amount(form.amountMax);
  if (min === 'bad') return { problem: { field: 'amountMin', message: 'a whole number of minor units' } };
  if (max === 'bad') return { problem: { field: 'amountMax', message: 'a whole number of minor units' } };
  if (min !== null && max !== null && max < min) return { problem: { field: 'amountMax', message: 'must not be below the minimum' } };
  if (min !== null) filter.amountMin = min;
  if (max !== null) filter.amountMax = max;
  if (text(form.search)) filter.search = text(form.search);
  return { filter };
}

/** The report window a filter implies: its range, or the last 24 hours before `clock`. */
export function reportWindowOf(filter: EventFilter, clock: number): { from: number; to: number } {
  const to = filter.to ?? Math.floor(clock) + 1;
  const from = filter.from ?? to - 86_400_000;
  return { from, to };
}

export function fmtAmount(amount: number | null, currency: string | null): string {
  if (amount === null) return '';
  return `${formatMinorUnits(amount, { grouping: true })}${currency ? ` ${currency}` : ''}`;
}

/** Pretty-prints the stored CloudEvent text; the text itself when it does not parse. */
export function prettyJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** "+1.2 s", "+350 ms" between timeline steps. */
export function fmtDelta(ms: number | null): string {
  if (ms === null) return 'start';
  if (ms < 1000) return `+${ms} ms`;
  return `+${formatDurationMs(ms)}`;
}
