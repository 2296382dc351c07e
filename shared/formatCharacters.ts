// Text the console shows that was composed around values from events (an alert's summary, the
// triage headline, a health reason, a quarantine reason): a value can carry characters that are
// not drawn but act on what is (a right-to-left override reverses the rest of the sentence, a
// zero-width space makes "m_1" another id that reads alike). The CLI escapes them on the terminal
// (electron/cli/terminalText.ts); the console writes them the same way, as \uXXXX, so they are
// seen. Line breaks and tabs stay: they are the text's own. The zero-width joiner stays (emoji).
const UNDRAWN = /[\u0080-\u009f\p{Cs}\u2028\u2029]|(?!\u200d)\p{Cf}/gu;

/** A character as JSON writes it: \uXXXX per UTF-16 unit (a tag character is a surrogate pair). */
export const codeUnitEscapes = (c: string): string => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/** The text with every undrawn or reordering character written as \uXXXX. */
export function withFormatCharactersShown(text: string): string {
  return text.replace(UNDRAWN, codeUnitEscapes);
}

/**
 * Labels as plain text ("merchant=m_1, country=DE"), for a notification's body: each value is the
 * publisher's, isolated (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE) with its undrawn
 * characters shown, as the console's tables draw them.
 */
export function isolatedLabelsText(labels: Iterable<readonly [string, string]>): string {
  return Array.from(labels, ([k, v]) => `${k}=\u2068${withFormatCharactersShown(v)}\u2069`).join(', ');
}
