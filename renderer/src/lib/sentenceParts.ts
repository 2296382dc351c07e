// A sentence the core composed around values from events (the triage headline, an alert's
// summary, a report's summary line, a quarantine reason), cut into the console's own text and
// the values in it, so that each value is drawn as an isolate (<bdi>, or FSI…PDI in plain text
// such as a title). Escaping format characters (shared/formatCharacters.ts) is not enough: a
// merchant named in Hebrew or Arabic has none, yet the browser's bidi algorithm takes the
// figures and brackets after it into its right-to-left run ("Most active merchant: שלום (1,234
// events" is drawn with "1,234 (" on the merchant's left). Isolated, a value is ordered inside
// itself and reads as one neutral unit in the sentence.
//
// Where the values are: the caller names the values it knows the sentence was written around
// (a contributor's value, an alert's label values), found as the core writes them (quotedValue)
// and only as whole words, so a value "1" never cuts into "12.0 %". Any other run of
// right-to-left letters (a value the console cannot name, such as one a quarantine reason
// quotes) is isolated too: the console's own words are English, so such a run is a value.
import { withFormatCharactersShown } from '../../../shared/formatCharacters';
import { quotedValue } from '../../../shared/quotedValue';
import { RTL_RUN } from '../../../shared/rightToLeftRuns';

export interface SentencePart {
  text: string;
  /** A value from the events (isolated), not the console's own words. */
  value: boolean;
}

/** What a value's first character would be glued to before it: a letter or digit, or a figure's point ("12.5" holds no value "5"). */
const GLUED_BEFORE = /(?:[\p{L}\p{N}\p{M}_]|\p{N}[.,:])$/u;
/** What a value's last character would be glued to after it: a letter or digit, or a figure's point ("93.0" holds no value "93"). */
const GLUED_AFTER = /^(?:[\p{L}\p{N}\p{M}_]|[.,:]\p{N})/u;
const WORD_AT_END = /[\p{L}\p{N}\p{M}_]$/u;
const WORD_AT_START = /^[\p{L}\p{N}\p{M}_]/u;

/**
 * A value the sentence was written around: the value, or the value and the words the core writes
 * before it where a bare value would also match figures ({ value: '91', after: 'code ' }: the
 * headline's "code 91 issuer unavailable", not its "91 % of the drop").
 */
export type SentenceValue = string | { value: string; after: string };

/** At most this many values are looked for in one sentence (a headline's contributors, an alert's labels). */
const MAX_VALUES = 64;

interface Span {
  start: number;
  end: number;
}

/** Where `form` stands in `sentence` right after `after`, as a word of its own (no letter, digit or figure glued to either end). */
function occurrences(sentence: string, form: string, after: string): Span[] {
  const out: Span[] = [];
  const gluedStart = after === '' && WORD_AT_START.test(form);
  const gluedEnd = WORD_AT_END.test(form);
  const whole = after + form;
  for (let at = sentence.indexOf(whole); at >= 0; at = sentence.indexOf(whole, at + 1)) {
    const start = at + after.length;
    const end = start + form.length;
    if (gluedStart && GLUED_BEFORE.test(sentence.slice(Math.max(0, at - 3), at))) continue;
    if (after !== '' && WORD_AT_START.test(after) && WORD_AT_END.test(sentence.slice(Math.max(0, at - 2), at))) continue;
    if (gluedEnd && GLUED_AFTER.test(sentence.slice(end, end + 3))) continue;
    out.push({ start, end });
  }
  return out;
}

/** The runs of right-to-left words in `text`. */
function rtlRuns(text: string): Span[] {
  return [...text.matchAll(RTL_RUN)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
}

/** Spans that do not overlap, leftmost first, the longer where two start together. */
function disjoint(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of spans) if (!out.length || s.start >= out[out.length - 1].end) out.push(s);
  return out;
}

/**
 * `sentence` as the console's own text and the values in it, each part's undrawn characters
 * written as \uXXXX. `values`: the values the sentence was written around, as received (the
 * core quotes one that needs it; it is found either way).
 */
export function sentenceParts(sentence: string, values: readonly SentenceValue[] = []): SentencePart[] {
  const forms = new Map<string, { form: string; after: string }>();
  for (const spec of values.slice(0, MAX_VALUES)) {
    const { value, after } = typeof spec === 'string' ? { value: spec, after: '' } : spec;
    if (value.trim() === '') continue;
    for (const form of [quotedValue(value), value]) forms.set(`${after}\u0000${form}`, { form, after });
  }
  const known = disjoint([...forms.values()].flatMap(({ form, after }) => occurrences(sentence, form, after)));
  const spans: Span[] = [];
  let at = 0;
  // Between the known values, any right-to-left run is a value too.
  for (const k of [...known, { start: sentence.length, end: sentence.length }]) {
    for (const r of rtlRuns(sentence.slice(at, k.start))) spans.push({ start: at + r.start, end: at + r.end });
    if (k.end > k.start) spans.push(k);
    at = k.end;
  }
  const parts: SentencePart[] = [];
  at = 0;
  for (const s of spans) {
    if (s.start > at) parts.push({ text: withFormatCharactersShown(sentence.slice(at, s.start)), value: false });
    parts.push({ text: withFormatCharactersShown(sentence.slice(s.start, s.end)), value: true });
    at = s.end;
  }
  if (at < sentence.length || parts.length === 0) parts.push({ text: withFormatCharactersShown(sentence.slice(at)), value: false });
  return parts;
}

const FSI = '\u2068';
const PDI = '\u2069';

/** The sentence as plain text (a title, a tooltip), each value between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE. */
export function sentencePlainText(sentence: string, values: readonly SentenceValue[] = []): string {
  return sentenceParts(sentence, values)
    .map((p) => (p.value ? `${FSI}${p.text}${PDI}` : p.text))
    .join('');
}

/** The values an alert's summary was written around: its label values (the group's among them) and its rule's name. */
export const alertSentenceValues = (a: { rule: string; labels?: Record<string, string> | null }): string[] => [...Object.values(a.labels ?? {}), a.rule];
