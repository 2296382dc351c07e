// A sentence the report composes around values from events (a merchant id, an issuer, a rule's
// name): its own words and the values apart, so that the HTML (and so the PDF) can draw each value
// as an isolate (<bdi>). Escaping format characters is not enough: a merchant named in Hebrew or
// Arabic has none, yet the browser's bidi algorithm takes the figures and brackets after it into
// its right-to-left run ("Authorized: 100.00 שקל, 12.50 EUR." drew "100.00 12.50 ,שקל EUR.").
// The JSON and the text keep the sentence as one string (sentenceText).
import { RTL_RUN } from '../../../shared/rightToLeftRuns';

/** The report's own words (strings) and the values in them ({ value }). */
export type Sentence = (string | { value: string })[];

/** A value from the events, placed in a sentence. */
export const value = (text: string): { value: string } => ({ value: text });

/** The sentence as one string, as the JSON and the text write it. */
export const sentenceText = (s: Sentence): string => s.map((p) => (typeof p === 'string' ? p : p.value)).join('');

/** `parts` joined by `sep` (the report's own words), as Array.join does for strings. */
export function joinSentences(parts: readonly Sentence[], sep: string): Sentence {
  return parts.flatMap((p, i) => (i === 0 ? p : [sep, ...p]));
}


/**
 * Free text whose values the report cannot name (an alert's summary, a note, the explanation's
 * headline, a title): every run of right-to-left words is a value (the report's own words are
 * English), the rest as it is.
 */
export function rtlRunsApart(text: string): Sentence {
  const out: Sentence = [];
  let at = 0;
  for (const m of text.matchAll(RTL_RUN)) {
    if (m.index! > at) out.push(text.slice(at, m.index));
    out.push(value(m[0]));
    at = m.index! + m[0].length;
  }
  if (at < text.length || out.length === 0) out.push(text.slice(at));
  return out;
}
