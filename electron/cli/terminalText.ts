/**
 * Text for the operator's terminal. Values printed by the text output of the commands came from
 * events, the broker or a receiver (a merchant id, an event type, a queue name, a quarantine
 * reason): control characters (C0 with ESC and BEL, DEL, C1), line and paragraph separators and
 * invisible format characters (bidirectional controls, zero-width spaces, soft hyphens, the BOM,
 * tag characters) and lone surrogates in them are written as \uXXXX, so a value cannot clear the screen, retitle the
 * window, hide text, reorder a line, start a forged one, or pass for another merchant id. The
 * zero-width joiner stays (it builds emoji). --json output does not go through here
 * (JSON.stringify escapes C0 itself, and a JSON reader gets the value as it was).
 */
const UNSAFE = /[\p{Cc}\p{Cs}\u2028\u2029]|(?!\u200d)\p{Cf}/gu;

/** As JSON writes it: \uXXXX per UTF-16 unit (a tag character is a surrogate pair). */
const escape = (c: string) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/** One value (a table cell, a label): everything unsafe escaped, line breaks and tabs included. */
export function visible(value: string): string {
  return value.replace(UNSAFE, escape);
}

/** A block of lines the command composed: each line as visible() writes it, the line breaks between them kept. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}

/** Writes composed text to stdout, its lines made visible (a final line break kept). */
export function printText(text: string): void {
  process.stdout.write(visibleLines(text));
}

/** A command's result: with --json exactly as JSON.stringify wrote it, as text made visible. */
export function printResult(json: boolean | undefined, text: string): void {
  if (json) process.stdout.write(text);
  else printText(text);
}
