// A member name repeated in the event object. JSON (RFC 8259 section 4) only says names SHOULD be
// unique: JSON.parse keeps the last value, other readers the first, some refuse. An event with two
// ids or two sources (two producers' text spliced into one message, a proxy appending its own)
// means one thing to the console and another to the next consumer, so it is quarantined.
//
// The parsed object has lost the repeat, so the text is read again, but on the hot path only its
// top level: names and values are skipped by indexOf on their quotes, nested containers by their
// brackets, and nothing is allocated unless there are more members than the object has names.

import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './charCodes';

const isWhitespace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

function skipWhitespace(text: string, at: number): number {
  while (isWhitespace(text.charCodeAt(at))) at++;
  return at;
}

/** The index past the closing quote of the JSON string whose opening quote is at `at`. */
function stringEnd(text: string, at: number): number {
  let close = text.indexOf('"', at + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
}

/** The index just past the JSON value that starts at or after `at` (whitespace before it skipped). */
function valueEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = skipWhitespace(text, at); ; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i) - 1;
      if (depth === 0) return i + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (c === COMMA || isWhitespace(c))) {
      return i;
    }
  }
}

/**
 * The number of top-level members of the JSON object `text`, which JSON.parse accepted; with
 * `name`, called with each member's name as written (quotes included), up to the first for which
 * it returns true.
 */
function eachMemberName(text: string, name?: (quoted: string) => boolean): number {
  let members = 0;
  let i = skipWhitespace(text, 0) + 1;
  for (;;) {
    i = skipWhitespace(text, i);
    if (text.charCodeAt(i) !== QUOTE) return members;
    const end = stringEnd(text, i);
    members++;
    if (name?.(text.slice(i, end))) return members;
    // Past the colon, the value, and the comma after it (or the closing brace, which ends it).
    i = skipWhitespace(text, valueEnd(text, skipWhitespace(text, end) + 1));
    if (text.charCodeAt(i) !== COMMA) return members;
    i++;
  }
}

/**
 * The first name that the JSON object `text` (which JSON.parse accepted) holds more than once at
 * its top level, or null when its top-level names are distinct. `distinctNames` is how many own
 * names the parsed object has: when the text has as many members, none can repeat.
 */
export function repeatedMemberName(text: string, distinctNames: number): string | null {
  if (eachMemberName(text) === distinctNames) return null;
  const seen = new Set<string>();
  let repeated: string | null = null;
  eachMemberName(text, (quoted) => {
    // A name written with escapes ("\u0069d") is the name they spell.
    const name = quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
    if (seen.has(name)) repeated = name;
    else seen.add(name);
    return repeated !== null;
  });
  return repeated;
}

/** How many names a parsed JSON object has (for...in: JSON.parse's objects inherit none). */
function ownNameCount(o: Record<string, unknown>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** repeatedMemberName of `text`, whose JSON.parse gave the object `parsed`. */
export function repeatedMemberOf(text: string, parsed: Record<string, unknown>): string | null {
  return repeatedMemberName(text, ownNameCount(parsed));
}
