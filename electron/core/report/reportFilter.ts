// The explorer filter of a filtered report (`payops report --merchant-id ...`): which of its
// conditions the report states, masked as the report's other values, and how it says them
// (as the explorer's chips do: "merchant m_1", "EUR 10.00–50.50", "attempt ≥ 3").
import { minorToMajorString } from '../../../shared/currencies';
import { quotedValue } from '../../../shared/quotedValue';
import type { EventFilter, ReportFilter } from '../../../shared/explorer';
import type { Masker } from './masking';
import { joinSentences, sentenceText, value, type Sentence } from './sentence';

/** A filter's conditions besides its window, or null when it has none (every event of the window counts). */
export function filterConditions(filter: EventFilter | undefined): ReportFilter | null {
  if (!filter) return null;
  const { from: _from, to: _to, ...conditions } = filter;
  const set = Object.entries(conditions).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
  return set.length ? (Object.fromEntries(set) as ReportFilter) : null;
}

/** The conditions as the report shows them: a masked field's value masked (a card BIN, a customer's payment id). */
export function maskedConditions(conditions: ReportFilter, masker: Masker): ReportFilter {
  if (!masker.enabled) return conditions;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(conditions)) {
    if (typeof v !== 'string') out[key] = Array.isArray(v) ? v.map((t) => masker.scrub(t)) : v;
    // A search is a payment id or an event id: masked when either is.
    else if (key === 'search') out[key] = masker.masks('paymentId') ? masker.value('paymentId', v) : masker.value('id', v);
    else out[key] = masker.value(key, v);
  }
  return out as ReportFilter;
}

const LABELS: [keyof ReportFilter, string][] = [
  ['merchantId', 'merchant'],
  ['country', 'country'],
  ['declineCode', 'decline code'],
  ['decision', 'decision'],
  ['search', 'payment or event id'],
  ['issuer', 'issuer'],
  ['cardBin', 'BIN'],
  ['scheme', 'scheme'],
  ['acquirer', 'acquirer'],
  ['mcc', 'MCC'],
  ['threeDS', '3-D Secure'],
  ['method', 'method'],
];


/** The conditions in words, in the explorer's order (types first, the currency with its amounts last), values apart. */
export function filterLabelSentences(f: ReportFilter): Sentence[] {
  const out: Sentence[] = [];
  if (f.types?.length) out.push(['type ', ...joinSentences(f.types.map((t) => [value(t)]), ', ')]);
  for (const [key, label] of LABELS) {
    const v = f[key];
    if (v !== undefined) out.push([`${label} `, value(quotedValue(String(v)))]);
  }
  if (f.attemptMin !== undefined) out.push([f.attemptMax === f.attemptMin ? `attempt ${f.attemptMin}` : `attempt ≥ ${f.attemptMin}${f.attemptMax !== undefined ? ` and ≤ ${f.attemptMax}` : ''}`]);
  else if (f.attemptMax !== undefined) out.push([`attempt ≤ ${f.attemptMax}`]);
  if (f.currency !== undefined) {
    const lo = f.amountMin !== undefined ? minorToMajorString(f.amountMin, f.currency) : null;
    const hi = f.amountMax !== undefined ? minorToMajorString(f.amountMax, f.currency) : null;
    out.push([value(f.currency), lo !== null || hi !== null ? ` ${lo ?? '…'}–${hi ?? '…'}` : '']);
  }
  return out;
}

/** The conditions in words, in the explorer's order (types first, the currency with its amounts last). */
export function filterLabels(f: ReportFilter): string[] {
  return filterLabelSentences(f).map(sentenceText);
}

/**
 * A filtered CSV's `filter` cell, on every row (masked as the report masks its values): a
 * spreadsheet shows it beside the events and a CSV parser reads a plain column, where a
 * leading comment line would be read as a row. Null when the export is not filtered.
 * Every row, not the first only: rows are read apart from the first (sorted, filtered in a
 * spreadsheet, appended to another export, loaded into a table), and there an empty cell would
 * say "no filter", the opposite of the truth. Its cost, measured on 100,000 rows filtered by one
 * merchant: 44 of 314 bytes a row (14 %), 3 % of the file gzipped.
 */
export function csvFilterNote(filter: EventFilter | undefined, masker: Masker): string | null {
  const conditions = filterConditions(filter);
  return conditions ? `Filtered: only events matching ${filterLabels(maskedConditions(conditions, masker)).join(', ')}` : null;
}

/** The sentence the report's header and summary open with, values apart. */
export function filterSentenceParts(f: ReportFilter): Sentence {
  return ['Filtered: only events matching ', ...joinSentences(filterLabelSentences(f), ', '), '; alerts, silences, redrives and the explanation cover the whole window.'];
}

/** The sentence the report's header and summary open with. */
export function filterSentence(f: ReportFilter): string {
  return sentenceText(filterSentenceParts(f));
}
