// The explorer's pure logic: the filter form and its translation into request arguments,
// time presets, formatting of rows. Kept apart from the components so it is unit-tested.
import { countText } from '../../../../shared/countText';
import { eventFilterSchema, type EventFilter, type ReportFormat, type ReportJob } from '../../../../shared/explorer';
import { THREE_DS_OUTCOMES } from '../../../../shared/events/schemas';
import { KNOWN_TYPES } from '../../../../shared/events/eventTypes';
import { declineCodeInfo, RETRY_ADVICE_TEXT } from '../../../../shared/declineCodes';
import { minorPerMajor, minorToMajorString, parseMajorAmount } from '../../../../shared/currencies';
import { formatDurationMs, formatInteger, formatMoney } from '../../../../shared/format';
import { withFormatCharactersShown } from '../../../../shared/formatCharacters';
import { quotedValue } from '../../../../shared/quotedValue';
import { readLocalTime, toLocalInput } from '../../lib/localTime';

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
  /**
   * The instants `from`/`to` were shown from (a link, a click-through): read back as they were
   * while the text is unchanged, since local seconds drop milliseconds and cannot tell the two
   * 02:30s of a DST fall-back apart.
   */
  exact?: { from?: number; to?: number };
  /**
   * The exact values a link brought (EXACT_TEXT_FIELDS): sent as they are while the input still
   * shows them, since a stored " m_1" is another merchant than "m_1"; what is typed is trimmed.
   */
  linked?: Partial<Record<ExactTextField, string>>;
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
  /** Payment dimensions (EVENTS.md); the BIN is a prefix, the attempt "2" or "3+". */
  issuer: string;
  cardBin: string;
  scheme: string;
  acquirer: string;
  mcc: string;
  threeDS: '' | (typeof THREE_DS_OUTCOMES)[number];
  method: string;
  attempt: string;
  order: 'desc' | 'asc';
}

export { THREE_DS_OUTCOMES };

/** The filter's fields matched exactly as stored (shared/explorer.ts leaves white space in them). */
const EXACT_TEXT_FIELDS = ['merchantId', 'declineCode', 'search', 'issuer', 'acquirer', 'method'] as const;
type ExactTextField = (typeof EXACT_TEXT_FIELDS)[number];

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
  issuer: '',
  cardBin: '',
  scheme: '',
  acquirer: '',
  mcc: '',
  threeDS: '',
  method: '',
  attempt: '',
  order: 'desc',
};

/**
 * A datetime-local string (local time) as epoch ms; null when empty or not a local time that
 * exists (readLocalTime says why). `exact`, the instant the string was made from (toLocalInput),
 * is returned while the string still shows it.
 */
export function parseLocal(value: string, exact?: number): number | null {
  const read = readLocalTime(value, exact);
  return read && 'ms' in read ? read.ms : null;
}

export { toLocalInput };

export interface FilterProblem {
  field: keyof FilterForm;
  message: string;
}

/** The request filter for a form, relative to `clock` for the presets; or the first problem. */
export function toEventFilter(form: FilterForm, clock: number): { filter: EventFilter } | { problem: FilterProblem } {
  const filter: EventFilter = {};
  if (form.range === 'custom') {
    const readFrom = readLocalTime(form.from, form.exact?.from);
    const readTo = readLocalTime(form.to, form.exact?.to);
    if (readFrom && 'error' in readFrom) return { problem: { field: 'from', message: readFrom.error } };
    if (readTo && 'error' in readTo) return { problem: { field: 'to', message: readTo.error } };
    const from = readFrom?.ms ?? null;
    const to = readTo?.ms ?? null;
    if (from !== null && to !== null && to <= from) return { problem: { field: 'to', message: 'must be after "from"' } };
    if (from !== null) filter.from = from;
    if (to !== null) filter.to = to;
  } else if (form.range !== 'all') {
    const preset = RANGE_PRESETS.find((p) => p.id === form.range)!;
    filter.from = Math.max(0, Math.floor(clock - preset.ms));
  }
  if (form.types.length) filter.types = [...form.types];
  const text = (v: string) => v.trim();
  const exact = (key: ExactTextField) => (form.linked?.[key] !== undefined && form[key] === form.linked[key] ? form[key] : text(form[key]));
  if (exact('merchantId')) filter.merchantId = exact('merchantId');
  if (text(form.country)) filter.country = text(form.country).toUpperCase();
  if (exact('declineCode')) filter.declineCode = exact('declineCode');
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
  if (exact('search')) filter.search = exact('search');
  for (const key of ['issuer', 'acquirer', 'method'] as const) if (exact(key)) filter[key] = exact(key);
  if (text(form.scheme)) filter.scheme = text(form.scheme).toLowerCase();
  const bin = text(form.cardBin);
  if (bin && !/^\d{4,11}$/.test(bin)) return { problem: { field: 'cardBin', message: 'a BIN is 4 to 11 digits (the start of a card number)' } };
  if (bin) filter.cardBin = bin;
  const mcc = text(form.mcc);
  if (mcc && !/^\d{4}$/.test(mcc)) return { problem: { field: 'mcc', message: 'an MCC is 4 digits' } };
  if (mcc) filter.mcc = mcc;
  if (form.threeDS) filter.threeDS = form.threeDS;
  const attempt = text(form.attempt);
  if (attempt) {
    const m = /^(\d+)(\+?)$/.exec(attempt);
    const n = m ? Number(m[1]) : 0;
    if (!m || n < 1) return { problem: { field: 'attempt', message: 'an attempt is 1, 2, ... or "3+" for the third and later' } };
    filter.attemptMin = n;
    if (!m[2]) filter.attemptMax = n;
  }
  return { filter };
}

// ---- The filter in the route (#/explorer?issuer=..&cardBin=..&from=..): what a link from
// another view (a triage contributor, a health row) carries, and what Back returns to.

const NUMERIC_KEYS = ['from', 'to', 'amountMin', 'amountMax', 'attemptMin', 'attemptMax'] as const;

/**
 * The route's name of one event type: each type is a parameter of its own (`type=a&type=b`),
 * since a type may hold a comma (EVENTS.md: any non-empty string). `types=a,b` is how links
 * were written before; it is still read, split at its commas, which is its exact reading: that
 * writer was only ever given the form's types (none holds a comma) and types its reader had
 * split, so no such link held a comma inside a type (explorerLinkRoundTrip.test.ts).
 */
const TYPE_PARAM = 'type';
const JOINED_TYPES_PARAM = 'types';

/** The explorer's route for a filter (the events tab). */
export function explorerHash(filter: EventFilter): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined) continue;
    if (k === 'types' && Array.isArray(v)) for (const type of v) p.append(TYPE_PARAM, String(type));
    else p.set(k, String(v));
  }
  const q = p.toString();
  return q ? `#/explorer?${q}` : '#/explorer';
}

/** The filter a route carries (validated by the contract's own schema); {} when none or invalid. */
export function filterOfExplorerHash(hash: string): EventFilter {
  const q = hash.indexOf('?');
  if (q < 0) return {};
  const raw: Record<string, unknown> = {};
  const types: string[] = [];
  for (const [k, v] of new URLSearchParams(hash.slice(q + 1))) {
    if (k === 'alert') continue;
    if (k === TYPE_PARAM) types.push(v);
    else if (k === JOINED_TYPES_PARAM) types.push(...v.split(',').filter(Boolean));
    const numeric = (NUMERIC_KEYS as readonly string[]).includes(k);
    // Number('') is 0: an empty "from=" would be the epoch, not no bound.
    if (k === TYPE_PARAM || k === JOINED_TYPES_PARAM || (numeric && !v.trim())) continue;
    raw[k] = numeric ? Number(v) : v;
  }
  if (types.length) raw.types = types;
  const parsed = eventFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** A filter as a stable string (key order ignored): "is this the filter already applied?". */
export function filterKey(filter: EventFilter): string {
  return explorerHash(Object.fromEntries(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b))));
}

/** The form showing a filter (a window becomes a custom range; amounts in major units). */
export function formOfFilter(filter: EventFilter, order: FilterForm['order'] = 'desc'): FilterForm {
  const attempt =
    filter.attemptMin === undefined ? '' : filter.attemptMax === filter.attemptMin ? String(filter.attemptMin) : `${filter.attemptMin}+`;
  const major = (v: number | undefined) => (v === undefined || !filter.currency ? '' : minorToMajorString(v, filter.currency));
  return {
    ...EMPTY_FORM,
    range: filter.from !== undefined || filter.to !== undefined ? 'custom' : 'all',
    from: filter.from !== undefined ? toLocalInput(filter.from) : '',
    to: filter.to !== undefined ? toLocalInput(filter.to) : '',
    exact: { from: filter.from, to: filter.to },
    linked: Object.fromEntries(EXACT_TEXT_FIELDS.filter((k) => filter[k] !== undefined).map((k) => [k, filter[k]])),
    types: filter.types ? [...filter.types] : [],
    merchantId: filter.merchantId ?? '',
    country: filter.country ?? '',
    declineCode: filter.declineCode ?? '',
    decision: filter.decision ?? '',
    currency: filter.currency ?? '',
    amountMin: major(filter.amountMin),
    amountMax: major(filter.amountMax),
    search: filter.search ?? '',
    issuer: filter.issuer ?? '',
    cardBin: filter.cardBin ?? '',
    scheme: filter.scheme ?? '',
    acquirer: filter.acquirer ?? '',
    mcc: filter.mcc ?? '',
    threeDS: filter.threeDS ?? '',
    method: filter.method ?? '',
    attempt,
    order,
  };
}

/** One applied condition as a removable chip; removing it clears `keys` in the filter and `form` in the form. */
export interface FilterChip {
  id: string;
  /**
   * The chip as plain text ("merchant m_1"): the Remove button's name, the report's note. Each
   * value written as the chip draws it (quoted where it would not be seen as written, undrawn
   * characters as \uXXXX), without isolation marks for a screen reader to read out.
   */
  label: string;
  /** The console's words: before the values, or the whole chip where it holds none (a window, an attempt). */
  name: string;
  /** The values as the events or a link hold them (a link is anyone's): drawn isolated, never joined into the words. */
  values: string[];
  keys: (keyof EventFilter)[];
  form: Partial<FilterForm>;
}

/** A chip of the console's words and the values the filter was given. */
function conditionChip(id: string, name: string, values: string[], keys: FilterChip['keys'], form: FilterChip['form']): FilterChip {
  const label = values.length ? `${name} ${values.map((v) => withFormatCharactersShown(quotedValue(v))).join(', ')}` : name;
  return { id, label, name, values, keys, form };
}

const CHIP_FIELDS: { key: keyof EventFilter & keyof FilterForm; label: string }[] = [
  { key: 'issuer', label: 'issuer' },
  { key: 'cardBin', label: 'BIN' },
  { key: 'scheme', label: 'scheme' },
  { key: 'acquirer', label: 'acquirer' },
  { key: 'merchantId', label: 'merchant' },
  { key: 'mcc', label: 'MCC' },
  { key: 'country', label: 'country' },
  { key: 'method', label: 'method' },
  { key: 'threeDS', label: '3-D Secure' },
  { key: 'declineCode', label: 'decline code' },
  { key: 'decision', label: 'risk decision' },
  { key: 'search', label: 'id' },
];


/** The applied filter as chips, in the order an operator reads them (window first). */
export function filterChips(filter: EventFilter, fmtTime: (ms: number) => string): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filter.from !== undefined || filter.to !== undefined) {
    const label = `${filter.from !== undefined ? fmtTime(filter.from) : '…'} – ${filter.to !== undefined ? fmtTime(filter.to) : 'now'}`;
    chips.push(conditionChip('window', label, [], ['from', 'to'], { range: 'all', from: '', to: '' }));
  }
  if (filter.types?.length) chips.push(conditionChip('types', 'type', filter.types, ['types'], { types: [] }));
  for (const { key, label } of CHIP_FIELDS) {
    const v = filter[key];
    if (v !== undefined) chips.push(conditionChip(key, label, [String(v)], [key], { [key]: '' }));
  }
  if (filter.attemptMin !== undefined) {
    const label = filter.attemptMax === filter.attemptMin ? `attempt ${filter.attemptMin}` : `attempt ≥ ${filter.attemptMin}`;
    chips.push(conditionChip('attempt', label, [], ['attemptMin', 'attemptMax'], { attempt: '' }));
  } else if (filter.attemptMax !== undefined) {
    chips.push(conditionChip('attempt', `attempt ≤ ${filter.attemptMax}`, [], ['attemptMin', 'attemptMax'], { attempt: '' }));
  }
  if (filter.currency !== undefined) {
    // An amount means nothing without its currency: the currency chip takes the amounts with it.
    const lo = filter.amountMin !== undefined ? minorToMajorString(filter.amountMin, filter.currency) : null;
    const hi = filter.amountMax !== undefined ? minorToMajorString(filter.amountMax, filter.currency) : null;
    const amount = lo !== null || hi !== null ? ` ${lo ?? '…'}–${hi ?? '…'}` : '';
    chips.push(conditionChip('currency', `${filter.currency}${amount}`, [], ['currency', 'amountMin', 'amountMax'], { currency: '', amountMin: '', amountMax: '' }));
  }
  return chips;
}

/** The filter without a chip's conditions. */
export function withoutChip(filter: EventFilter, chip: FilterChip): EventFilter {
  const next: EventFilter = { ...filter };
  for (const k of chip.keys) delete next[k];
  return next;
}

/** The report tab's window from its two inputs (and the instants they were filled from), or why it is not one. */
export function readReportWindow(from: string, to: string, exact: { from?: number; to?: number }): { from: number; to: number } | { error: string } {
  const f = readLocalTime(from, exact.from);
  const t = readLocalTime(to, exact.to);
  if (f === null || t === null) return { error: 'give both "from" and "to"' };
  if ('error' in f) return { error: `"from": ${f.error}` };
  if ('error' in t) return { error: `"to": ${t.error}` };
  if (t.ms <= f.ms) return { error: '"to" must be after "from"' };
  return { from: f.ms, to: t.ms };
}

/** The margin around an alert as typed (minutes, 0 to 1440 as the contract allows), or why it is not one. */
export function readMarginMinutes(text: string): { minutes: number } | { error: string } {
  const typed = text.trim();
  // Number() reads '' as 0 and '0x10' as 16: only plain decimal minutes.
  const minutes = /^\d+(\.\d+)?$/.test(typed) ? Number(typed) : NaN;
  return minutes >= 0 && minutes <= 24 * 60 ? { minutes } : { error: 'the margin must be a number of minutes from 0 to 1440' };
}

/** A filter's conditions other than its window, as its chips name them. */
function conditionsBesidesWindow(filter: EventFilter): string[] {
  return filterChips(filter, String).filter((c) => c.id !== 'window').map((c) => c.label);
}

/**
 * What a report started from the explorer covers: the events of the filter's window that match
 * its other conditions (a CSV's rows; a report's figures, while its alerts, silences and
 * explanation cover the whole window). Null when the filter has no other condition.
 */
export function reportScopeNote(filter: EventFilter, format: ReportFormat): string | null {
  const others = conditionsBesidesWindow(filter);
  if (!others.length) return null;
  return format === 'csv'
    ? `The CSV holds the events of this window that match the explorer's filter (${others.join(', ')}).`
    : `The report's figures cover the events of this window that match the explorer's filter (${others.join(', ')}); its alerts, silences and explanation cover the whole window.`;
}

/** The filter a report export from the explorer sends: its conditions without the window (the export's own). */
export function reportExportFilter(filter: EventFilter): EventFilter | undefined {
  if (!conditionsBesidesWindow(filter).length) return undefined;
  const { from: _from, to: _to, ...conditions } = filter;
  return conditions;
}

/**
 * A running export's bar and text: rows (CSV) or steps done of those expected. A filtered CSV
 * does not know how many events match until its last row (total 0): the bar is indeterminate.
 */
export function exportProgress(job: Pick<ReportJob, 'done' | 'total'>): { value: number | null; max: number | null; text: string } {
  if (job.total <= 0) return { value: null, max: null, text: `${countText(job.done, 'event', undefined, formatInteger)} so far` };
  return { value: Math.min(job.done, job.total), max: job.total, text: `${formatInteger(job.done)} / ${formatInteger(job.total)}` };
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
    JSON.parse(json);
  } catch {
    return json;
  }
  return withFormatCharactersShown(reindentJson(json));
}

/**
 * Valid JSON text laid out two spaces a level, its tokens as written: parsed and written again,
 * a number past 2^53 in a field payops does not read (a producer's 19-digit reference) came
 * back as a double's nearest value, and 1.10 as 1.1.
 */
function reindentJson(json: string): string {
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      out += json.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      let j = i + 1;
      while (/\s/.test(json[j])) j++;
      if (json[j] === (c === '{' ? '}' : ']')) {
        out += c + json[j];
        i = j;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') out += c + newline();
    else if (c === ':') out += ': ';
    else if (!/\s/.test(c)) out += c;
  }
  return out;
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
