// A count with its noun in the right form: "1 event", "2 events", "0 events". One rule for the
// report (summary, HTML, the report tab) and the CLI's lines, so no text says "1 events" or
// hedges with "event(s)". The texts are English: Intl.PluralRules('en') picks one or other
// (1 is one; 0, 2 and 1.5 are other); a noun whose plural is not noun + s gives it.

const ENGLISH = new Intl.PluralRules('en');

/** `1 event`, `3 events`; the count written by `format` (grouping, for one). */
export function countText(n: number, one: string, other = `${one}s`, format: (n: number) => string = String): string {
  return `${format(n)} ${countNoun(n, one, other)}`;
}

/** The noun alone, in the count's form (for a count written apart from it). */
export function countNoun(n: number, one: string, other = `${one}s`): string {
  return ENGLISH.select(n) === 'one' ? one : other;
}
