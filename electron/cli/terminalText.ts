import { codeUnitEscapes } from '../../shared/formatCharacters';
import { needsQuotes } from '../../shared/quotedValue';

/**
 * Text for the operator's terminal. Values printed by the text output of the commands came from
 * events, the broker or a receiver (a merchant id, an event type, a queue name, a quarantine
 * reason): control characters (C0 with ESC and BEL, DEL, C1), line and paragraph separators and
 * invisible format characters (bidirectional controls, zero-width spaces, soft hyphens, the BOM,
 * tag characters) and lone surrogates in them are written as \uXXXX, so a value cannot clear the screen, retitle the
 * window, hide text, reorder a line, start a forged one, or pass for another merchant id. The
 * zero-width joiner stays (it builds emoji). --json output escapes the same characters
 * (jsonVisible): JSON.stringify escapes C0 itself but leaves the rest raw, and a \uXXXX is the
 * same JSON to a reader, so it gets the value as it was.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\u2028\u2029]|(?!\u200d)\p{Cf}/gu;

/** One value (a table cell, a label): everything unsafe escaped, line breaks and tabs included. */
export function visible(value: string): string {
  return value.replace(UNSAFE, codeUnitEscapes);
}

/**
 * A label value (a merchant id in `merchant=...`) as visible() writes it, except one that would
 * print as nothing, hide white space at an end, or pass for a quoted one: empty, with white space
 * at either end, or starting or ending with a quote is written quoted, JSON-style
 * (`merchant=""`, `merchant=" "`, a no-break space as `"\u00a0"`, `issuer=" \"quoted\" issuer"`),
 * so it is seen and two ids do not look alike. (The rule is shared/quotedValue.ts: alerts, the
 * console and reports quote the same values.)
 */
export function visibleValue(value: string): string {
  if (!needsQuotes(value)) return visible(value);
  return `"${visible(value.replace(/["\\]/g, '\\$&')).replace(/(?! )\s/gu, codeUnitEscapes)}"`;
}

/** A `key=value` label (an alert's group): its value as visibleValue() writes it. */
export function visibleLabel(label: string): string {
  const at = label.indexOf('=');
  return at < 0 ? visible(label) : `${visible(label.slice(0, at))}=${visibleValue(label.slice(at + 1))}`;
}

/** A block of lines the command composed: each line as visible() writes it, the line breaks between them kept. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}

/** Writes composed text to stdout, its lines made visible (a final line break kept). */
export function printText(text: string): void {
  process.stdout.write(visibleLines(text));
}

/**
 * What visible() escapes but JSON.stringify leaves raw: DEL, C1, separators, format characters.
 * (C0 in JSON text is its own whitespace: JSON.stringify has escaped every one inside a string.)
 */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cs}\u2028\u2029]|(?!\u200d)\p{Cf}/gu;

/** JSON text as JSON.stringify wrote it, with those characters as \uXXXX: the same JSON, safe on a terminal. */
export function jsonVisible(jsonText: string): string {
  return jsonText.replace(UNSAFE_IN_JSON, codeUnitEscapes);
}

/** A --json result: one line of JSON, made terminal-safe by jsonVisible(). */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonVisible(JSON.stringify(value))}\n`);
}

/** A command's result: with --json the JSON text made terminal-safe (jsonVisible), as text made visible. */
export function printResult(json: boolean | undefined, text: string): void {
  if (json) process.stdout.write(jsonVisible(text));
  else printText(text);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** East Asian wide and fullwidth ranges (Hangul jamo, CJK, kana, Hangul syllables, fullwidth forms) and emoji shown as emoji. */
const WIDE = /^(?:\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}])/u;

/** The columns a (visible) string takes on a terminal: a character with its combining marks one, a wide one two. */
export function displayWidth(text: string): number {
  if (/^[\u0020-\u007e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += WIDE.test(segment) ? 2 : /^[\p{M}\u200d]+$/u.test(segment) ? 0 : 1;
  return width;
}

/** padEnd by terminal columns, so the next column lines up after wide or combining characters. */
export function padColumn(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The widest a padded table column gets: a longer value is shortened in the middle (--json has it whole). */
export const MAX_COLUMN = 60;

/**
 * A value for a padded table column: as it is up to MAX_COLUMN terminal columns; longer, its
 * start and end around an ellipsis (ids differ at either end), so one very long merchant id
 * does not push every other row's next columns thousands of columns right. (Queue names, at most
 * 255 bytes, are printed whole: an operator acts on them.)
 */
export function fitColumn(text: string, max = MAX_COLUMN): string {
  if (displayWidth(text) <= max) return text;
  const parts = Array.from(graphemes.segment(text), (s) => s.segment);
  const take = (from: string[], budget: number) => {
    const out: string[] = [];
    for (const p of from) {
      budget -= displayWidth(p);
      if (budget < 0) break;
      out.push(p);
    }
    return out;
  };
  const head = take(parts, Math.ceil((max - 1) / 2)).join('');
  const tail = take([...parts].reverse(), Math.floor((max - 1) / 2)).reverse().join('');
  return `${head}…${tail}`;
}
