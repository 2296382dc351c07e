// A member name repeated in the event object. JSON (RFC 8259 section 4) only says names SHOULD be
// unique: JSON.parse keeps the last value, other readers the first, some refuse. An event with two
// ids or two sources (two producers' text spliced into one message, a proxy appending its own)
// means one thing to the console and another to the next consumer, so it is quarantined.
//
// The parsed object has lost the repeat, so the text is read again. On the hot path a count rules
// a repeat out (noRepeatAnywhere): the text has at least as many '":' as members at all depths,
// as long as no colon follows whitespace, and the parsed tree has as many names as members
// exactly when no object in it lost one. Only when the count cannot tell (a repeat somewhere, a
// string holding '":', whitespace before a colon) is its top level read member by member: names and values
// skipped by indexOf on their quotes, nested containers by their brackets, nothing allocated
// unless there are more members than the object has names.

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

/** Past this many containers the tree's names are not counted (the member-by-member read decides). */
const MAX_COUNTED_CONTAINERS = 256;

/**
 * How many names the objects of a parsed JSON value hold, at every depth, or -1 when it has more
 * than MAX_COUNTED_CONTAINERS objects and arrays (or nests that deep: the count is not recursive).
 */
function namesInTree(root: Record<string, unknown>): number {
  let names = 0;
  let containers = 1;
  let stack: object[] | null = null;
  let current: object = root;
  for (;;) {
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const v: unknown = current[i];
        if (typeof v === 'object' && v !== null) {
          if (++containers > MAX_COUNTED_CONTAINERS) return -1;
          (stack ??= []).push(v);
        }
      }
    } else {
      const o = current as Record<string, unknown>;
      for (const key in o) {
        names++;
        const v = o[key];
        if (typeof v === 'object' && v !== null) {
          if (++containers > MAX_COUNTED_CONTAINERS) return -1;
          (stack ??= []).push(v);
        }
      }
    }
    if (stack === null || stack.length === 0) return names;
    current = stack.pop()!;
  }
}

/**
 * Whether no object in the JSON text `text` (whose JSON.parse gave `parsed`) repeats a name, told
 * by counting; false when the count cannot tell (then the caller reads the text member by member).
 * Every member's name is followed by optional whitespace and a colon. When no colon in the text
 * follows whitespace, each member's colon follows its name's closing quote, so the text has at
 * least as many '":' as members (a string may add more: a value starting with ':', an escaped
 * quote before ':'). The parsed tree has at most as many names as the text has members, and as
 * many exactly when no object lost a name to a repeat (however the names were escaped). So when
 * the count of '":' equals the tree's names, members = names: nothing repeats. The colons are
 * found by indexOf of one character (memchr), the cheapest search there is.
 */
function noRepeatAnywhere(text: string, parsed: Record<string, unknown>): boolean {
  const names = namesInTree(parsed);
  if (names < 0) return false;
  let found = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    const before = text.charCodeAt(at - 1);
    if (before === QUOTE) {
      if (++found > names) return false;
    } else if (isWhitespace(before)) {
      return false;
    }
  }
  return found === names;
}

/** repeatedMemberName of `text`, whose JSON.parse gave the object `parsed`. */
export function repeatedMemberOf(text: string, parsed: Record<string, unknown>): string | null {
  if (noRepeatAnywhere(text, parsed)) return null;
  return repeatedMemberName(text, ownNameCount(parsed));
}
