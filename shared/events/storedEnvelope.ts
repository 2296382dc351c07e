// The CloudEvent as event_log stores it: its text without what the row's columns already hold
// (type, time, subject and the payment and risk fields of `data`), which on PaySim-derived
// events is about 240 of 370 bytes. `restoreEnvelope` puts them back from the columns. A field
// leaves the text only when the column gives back exactly the same value, so nothing is lost
// but the order of keys (restored ones come first, in the order producers write them) and the
// spelling of a number (1e3 reads back as 1000).
// Rows stored before this form hold the whole CloudEvent and no STORED_MARK: they are read
// as they are.
// `source` is one of a handful per database, stored once in event_sources (migration 250): the
// text holds its code in the mark's upper bits instead. The decoder has no database, so it
// leaves the code 0 ("to be given"); the writer gives it (`withSourceCode`), or, in a database
// before 250, puts the source back (`withSourceText`). No text with code 0 is ever stored.

import { isIsoStringOf } from './canonicalTime';

/** Marks the stored form and says what it left out. Never a CloudEvents attribute: those are a-z0-9. */
export const STORED_MARK = '~';
/** `subject` was the payment id. */
const SUBJECT_IS_PAYMENT = 1;
/** `datacontenttype` was "application/json". */
const JSON_CONTENT_TYPE = 2;
/** `time` was the event time column as an ISO string (other spellings of a time are kept). */
const TIME_IS_COLUMN = 4;
/** `source` was left out: its code (event_sources.code) is the flags divided by SOURCE_CODE_UNIT. */
const SOURCE_IS_CODED = 8;
/** The first flag value above the bits: flags = bits + code * SOURCE_CODE_UNIT. */
const SOURCE_CODE_UNIT = 16;
/** The stored text's tail starts here: compactEnvelope writes the mark last. */
const MARK_KEY = `"${STORED_MARK}":`;

/** The source of a source code (event_sources), for readers of coded texts. */
export type SourceOfCode = (code: number) => string;

/** The columns a stored row holds beside its text (EventRow's names). */
export interface EnvelopeColumns {
  type: string;
  timeMs: number | null;
  paymentId: string | null;
  merchantId: string | null;
  amount: number | null;
  currency: string | null;
  country: string | null;
  cardBin: string | null;
  declineCode: string | null;
  score: number | null;
  decision: string | null;
}

/** The `data` fields that have a column of the same name, in the order they are restored. */
const DATA_COLUMNS = ['paymentId', 'merchantId', 'amount', 'currency', 'country', 'cardBin', 'declineCode', 'score', 'decision'] as const;

export type JsonObject = Record<string, unknown>;

/** A JSON object (not an array, not null): what a CloudEvent and its `data` are. */
export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Sets a key; "__proto__" (a key JSON.parse gives as a plain key) stays a plain key, not the prototype. */
function put(o: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** The stored text of a validated CloudEvent whose columns are `columns`. */
export function compactEnvelope(ce: JsonObject, columns: EnvelopeColumns): string {
  const out: JsonObject = {};
  let flags = 0;
  // for...in, not Object.keys: its keys are the same on a parsed object (JSON.parse's objects
  // inherit none), and V8 reads ce[key] through the enumeration's cache instead of a lookup.
  for (const key in ce) {
    const v = ce[key];
    if (key === 'specversion' && v === '1.0') continue;
    if (key === 'type' && v === columns.type) continue;
    if (key === 'source' && typeof v === 'string') {
      flags |= SOURCE_IS_CODED;
      continue;
    }
    // Times before 1970 stay in the text: the `events` view's SQL restore spells non-negative times only.
    if (key === 'time' && columns.timeMs !== null && columns.timeMs >= 0 && typeof v === 'string' && isIsoStringOf(v, columns.timeMs)) {
      flags |= TIME_IS_COLUMN;
      continue;
    }
    if (key === 'subject' && typeof v === 'string' && v === columns.paymentId) {
      flags |= SUBJECT_IS_PAYMENT;
      continue;
    }
    if (key === 'datacontenttype' && v === 'application/json') {
      flags |= JSON_CONTENT_TYPE;
      continue;
    }
    put(out, key, key === 'data' && isJsonObject(v) ? compactData(v, columns) : v);
  }
  out[STORED_MARK] = flags;
  return JSON.stringify(out);
}

/** Stands for "no column of that name": equal to no JSON value. */
const NOT_A_COLUMN = Symbol('not a column');

/** The column of DATA_COLUMNS named `key`, or NOT_A_COLUMN (a switch: no Set lookup, no keyed load). */
function dataColumn(columns: EnvelopeColumns, key: string): unknown {
  switch (key) {
    case 'paymentId':
      return columns.paymentId;
    case 'merchantId':
      return columns.merchantId;
    case 'amount':
      return columns.amount;
    case 'currency':
      return columns.currency;
    case 'country':
      return columns.country;
    case 'cardBin':
      return columns.cardBin;
    case 'declineCode':
      return columns.declineCode;
    case 'score':
      return columns.score;
    case 'decision':
      return columns.decision;
    default:
      return NOT_A_COLUMN;
  }
}

function compactData(data: JsonObject, columns: EnvelopeColumns): JsonObject {
  const out: JsonObject = {};
  for (const key in data) {
    const v = data[key];
    if (v !== null && v === dataColumn(columns, key)) continue;
    put(out, key, v);
  }
  return out;
}

/**
 * The stored text `text` (compactEnvelope's) with its source's code `code` (>= 1) given, for a
 * database that codes sources. A text without the mark (stored whole) comes back as it is.
 * The ingest hot path: it reads and rewrites the tail only.
 */
export function withSourceCode(text: string, code: number): string {
  const at = markAt(text);
  if (at < 0) return text;
  const flags = Number(text.slice(at + MARK_KEY.length, -1));
  if (!(flags & SOURCE_IS_CODED)) return text;
  return `${text.slice(0, at + MARK_KEY.length)}${(flags % SOURCE_CODE_UNIT) + code * SOURCE_CODE_UNIT}}`;
}

/** The stored text `text` with `source` in it again instead of a code: for a database before migration 250. */
export function withSourceText(text: string, source: string): string {
  const at = markAt(text);
  if (at < 0) return text;
  const flags = Number(text.slice(at + MARK_KEY.length, -1));
  if (!(flags & SOURCE_IS_CODED)) return text;
  return `${text.slice(0, at)}"source":${JSON.stringify(source)},${MARK_KEY}${flags % SOURCE_IS_CODED}}`;
}

/** Where the mark's key starts in a text that ends with it, or -1 (a text stored whole). */
function markAt(text: string): number {
  if (text.charCodeAt(text.length - 1) !== 0x7d) return -1; // '}'
  const at = text.lastIndexOf(MARK_KEY);
  // The mark is the object's last key: what follows it is its number and the closing brace.
  return at > 0 && (text.charCodeAt(at - 1) === 0x2c || text.charCodeAt(at - 1) === 0x7b) ? at : -1; // ',' or '{'
}

/** The source code a stored text holds (parsed), or null when its source is in the text (or it was stored whole). */
export function storedSourceCode(ce: JsonObject): number | null {
  const flags = ce[STORED_MARK];
  return typeof flags === 'number' && flags & SOURCE_IS_CODED ? Math.floor(flags / SOURCE_CODE_UNIT) : null;
}

/** The source of a stored text, parsed: its own, or the one its code names. */
export function storedSource(ce: JsonObject, sourceOf: SourceOfCode): unknown {
  const code = storedSourceCode(ce);
  return code === null ? ce.source : sourceOf(code);
}

/**
 * The whole CloudEvent of a stored text, parsed (`ce`), and its row's columns; `sourceOf`
 * names a coded source.
 */
export function restoreEnvelope(ce: JsonObject, columns: EnvelopeColumns, sourceOf: SourceOfCode): JsonObject {
  const flags = ce[STORED_MARK];
  if (typeof flags !== 'number') return ce;
  const out: JsonObject = {};
  out.specversion = '1.0';
  out.id = ce.id;
  out.source = storedSource(ce, sourceOf);
  out.type = columns.type;
  if (flags & TIME_IS_COLUMN && columns.timeMs !== null) out.time = new Date(columns.timeMs).toISOString();
  if (flags & SUBJECT_IS_PAYMENT) out.subject = columns.paymentId;
  if (flags & JSON_CONTENT_TYPE) out.datacontenttype = 'application/json';
  for (const key of Object.keys(ce)) {
    if (key === STORED_MARK) continue;
    const v = ce[key];
    put(out, key, key === 'data' && isJsonObject(v) ? restoreData(v, columns) : v);
  }
  return out;
}

function restoreData(data: JsonObject, columns: EnvelopeColumns): JsonObject {
  const out: JsonObject = {};
  for (const key of DATA_COLUMNS) {
    const v = columns[key];
    if (v !== null && !(key in data)) out[key] = v;
  }
  for (const key of Object.keys(data)) put(out, key, data[key]);
  return out;
}

/** The subject of a stored text, parsed: its own, or the payment id it was left out for. */
export function storedSubject(ce: JsonObject, paymentId: string | null): string | null {
  const subject = ce.subject;
  if (typeof subject === 'string') return subject;
  const flags = ce[STORED_MARK];
  return typeof flags === 'number' && flags & SUBJECT_IS_PAYMENT ? paymentId : null;
}
