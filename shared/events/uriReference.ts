// The URI forms of CloudEvents attributes (core spec, Type System): `source` is a URI-reference
// (RFC 3986 section 4.1), `dataschema` a URI (section 3: a scheme, never a relative reference).
// The spec's prose types URI as section 4.3's absolute-URI, which has no fragment, but its own
// JSON schema types dataschema as format "uri" (a fragment allowed), and so do its SDKs: a schema
// named by a fragment (https://example.com/schema.json#/defs/payment) is a real producer's
// dataschema, so it is accepted. Read in one pass over the
// characters with a table built once, never a regular expression: `source` is checked on every
// message. Characters past ASCII are accepted where RFC 3987 allows them in an IRI (ucschar,
// and iprivate in the query): the spec's own example sources are ASCII, but producers name
// things in their language, and an IRI maps to a URI one to one. The control characters,
// noncharacters and lone surrogates it excludes are refused before this, by disallowedCharacter
// (schemas.ts), so a high surrogate here is always the first half of a pair.

import { AT, COLON, HASH, OPEN_BRACKET, PERCENT, QUESTION, SLASH } from './charCodes';

/** ALPHA / DIGIT / "+" / "-" / ".": a scheme's characters after its first letter. */
const SCHEME = 1;
/** unreserved / sub-delims: a host name's characters (RFC 3986 reg-name, pct-encoded apart). */
const REG_NAME = 2;
/** reg-name's characters and ":" "@": a path segment's (pchar, pct-encoded apart). */
const PCHAR = 4;
const HEX = 8;

const CHARACTER_CLASS = new Uint8Array(128);
function mark(chars: string, bits: number): void {
  for (const c of chars) CHARACTER_CLASS[c.charCodeAt(0)] |= bits;
}
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGIT = '0123456789';
mark(ALPHA + DIGIT, SCHEME | REG_NAME | PCHAR);
mark('+-.', SCHEME);
mark("-._~!$&'()*+,;=", REG_NAME | PCHAR);
mark(':@', PCHAR);
mark(DIGIT + 'ABCDEFabcdef', HEX);

const has = (c: number, bits: number) => c < 128 && (CHARACTER_CLASS[c] & bits) !== 0;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function shown(c: number): string {
  return `${JSON.stringify(String.fromCharCode(c))} (U+${c.toString(16).toUpperCase().padStart(4, '0')})`;
}

const codePoint = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why the character at value[at] (past ASCII) cannot stand there in an IRI, or null when it can. */
function iriCharacterProblem(value: string, at: number, inQuery: boolean): string | null {
  const c = value.charCodeAt(at);
  if (c < 0xd800) {
    // RFC 3987 4.1: LRM, RLM, LRE, RLE, PDF, LRO, RLO (they make an IRI display as another).
    if (c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e)) {
      return `${codePoint(c)} at offset ${at} is a bidi formatting character, which an IRI cannot hold (RFC 3987 section 4.1)`;
    }
    return null;
  }
  let cp = c;
  if (c <= 0xdbff) cp = 0x10000 + ((c - 0xd800) << 10) + (value.charCodeAt(at + 1) - 0xdc00);
  else if (c <= 0xdfff) return null;
  const privateUse = (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
  if (privateUse) return inQuery ? null : `${codePoint(cp)} at offset ${at} is a private-use character, allowed in the query only (RFC 3987 iprivate)`;
  if ((cp >= 0xfff0 && cp <= 0xffff) || (cp >= 0xe0000 && cp <= 0xe0fff)) return `${codePoint(cp)} at offset ${at} is not an IRI character (RFC 3987 ucschar)`;
  return null;
}

function notAllowed(value: string, at: number): string {
  return `${shown(value.charCodeAt(at))} at offset ${at} is not allowed there (percent-encode it)`;
}

/** Why value[at..] is not a percent-encoded octet, or null when it is one. */
function percentProblem(value: string, at: number): string | null {
  return has(value.charCodeAt(at + 1), HEX) && has(value.charCodeAt(at + 2), HEX)
    ? null
    : `"%" at offset ${at} is not followed by two hex digits (a literal "%" is written %25)`;
}

/** Why value[from, to) is not a run of `bits` characters, percent-encoded octets and IRI characters. */
function runProblem(value: string, from: number, to: number, bits: number): string | null {
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    if (c < 128 && (CHARACTER_CLASS[c] & bits) !== 0) continue;
    if (c >= 128) {
      const bad = iriCharacterProblem(value, i, false);
      if (bad !== null) return bad;
      continue;
    }
    if (c === PERCENT) {
      const bad = percentProblem(value, i);
      if (bad !== null) return bad;
      i += 2;
      continue;
    }
    return notAllowed(value, i);
  }
  return null;
}

/** Why value[from, to), the part after "//", is not an authority ([userinfo "@"] host [":" port]). */
function authorityProblem(value: string, from: number, to: number): string | null {
  let at = -1;
  for (let i = from; i < to; i++) {
    if (value.charCodeAt(i) !== AT) continue;
    if (at >= 0) return notAllowed(value, i);
    at = i;
  }
  let host = from;
  if (at >= 0) {
    // userinfo: a host name's characters and ":" (PCHAR's "@" was counted above: one at most).
    const bad = runProblem(value, from, at, PCHAR);
    if (bad !== null) return bad;
    host = at + 1;
  }
  let port = -1;
  if (value.charCodeAt(host) === OPEN_BRACKET) {
    // An IPv6 address or IPvFuture: hex digits, ":" and "." or "v" and unreserved / sub-delims; read loosely.
    const close = value.indexOf(']', host);
    if (close < 0 || close >= to) return `"[" at offset ${host} opens an IP literal that is not closed`;
    if (close === host + 1) return `the IP literal at offset ${host} is empty`;
    for (let i = host + 1; i < close; i++) {
      const c = value.charCodeAt(i);
      if (c !== COLON && !has(c, REG_NAME)) return notAllowed(value, i);
    }
    if (close + 1 < to) {
      if (value.charCodeAt(close + 1) !== COLON) return notAllowed(value, close + 1);
      port = close + 2;
    }
  } else {
    let end = host;
    while (end < to && value.charCodeAt(end) !== COLON) end++;
    const bad = runProblem(value, host, end, REG_NAME);
    if (bad !== null) return bad;
    if (end < to) port = end + 1;
  }
  if (port >= 0) {
    for (let i = port; i < to; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57) return `port ${JSON.stringify(value.slice(port, to).slice(0, 40))} is not digits`;
    }
  }
  return null;
}

/**
 * Why `value` is not a URI-reference (RFC 3986 section 4.1), or, when `withScheme`, not a URI
 * (section 3: a scheme, then an optional query and fragment), in words for a quarantine reason;
 * null when it is one. An empty value is a URI-reference: the caller refuses it as empty first.
 */
export function uriProblem(value: string, withScheme: boolean): string | null {
  const n = value.length;
  let i = 0;
  // A colon before any "/", "?" or "#" ends a scheme; a relative reference cannot hold one there.
  let colon = -1;
  for (let j = 0; j < n; j++) {
    const c = value.charCodeAt(j);
    if (c === COLON) {
      colon = j;
      break;
    }
    if (c === SLASH || c === QUESTION || c === HASH) break;
  }
  if (colon >= 0) {
    let scheme = colon > 0 && isAlpha(value.charCodeAt(0));
    for (let j = 1; scheme && j < colon; j++) scheme = has(value.charCodeAt(j), SCHEME);
    if (!scheme) {
      return `the colon at offset ${colon} follows ${JSON.stringify(value.slice(0, Math.min(colon, 40)))}, which is not a scheme (a letter, then letters, digits, "+", "-" or "."); a relative reference cannot have a colon in its first segment`;
    }
    i = colon + 1;
  } else if (withScheme) {
    return 'it has no scheme (such as https: or urn:)';
  }
  if (value.charCodeAt(i) === SLASH && value.charCodeAt(i + 1) === SLASH) {
    let end = i + 2;
    while (end < n) {
      const c = value.charCodeAt(end);
      if (c === SLASH || c === QUESTION || c === HASH) break;
      end++;
    }
    const bad = authorityProblem(value, i + 2, end);
    if (bad !== null) return bad;
    i = end;
  }
  // Path, query and fragment: pchar, "/" and "?" throughout, "#" once to start the fragment.
  let fragment = -1;
  let inQuery = false;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 128 && ((CHARACTER_CLASS[c] & PCHAR) !== 0 || c === SLASH)) continue;
    if (c >= 128) {
      const bad = iriCharacterProblem(value, i, inQuery);
      if (bad !== null) return bad;
    } else if (c === QUESTION) {
      inQuery ||= fragment < 0;
    } else if (c === PERCENT) {
      const bad = percentProblem(value, i);
      if (bad !== null) return bad;
      i += 2;
    } else if (c === HASH && fragment < 0) {
      fragment = i;
      inQuery = false;
    } else if (c === HASH) {
      return `a second "#" at offset ${i} (the fragment started at offset ${fragment}; write it %23)`;
    } else {
      return notAllowed(value, i);
    }
  }
  return null;
}

/**
 * Sources found to be URI-references, so the handful a broker carries are read once, not per
 * message (a lookup costs ~20-60 ns, a read ~60-300 ns for 15-30 characters, more with an
 * authority). Bounded in number and length, so hostile sources cannot grow it.
 */
const knownSources = new Set<string>();
const KNOWN_SOURCES_MAX = 256;
const KNOWN_SOURCE_LENGTH_MAX = 256;

/** uriProblem for `source` (a URI-reference), remembering the sources that are. */
export function sourceProblem(value: string): string | null {
  if (knownSources.has(value)) return null;
  const bad = uriProblem(value, false);
  if (bad === null && value.length <= KNOWN_SOURCE_LENGTH_MAX) {
    if (knownSources.size >= KNOWN_SOURCES_MAX) knownSources.clear();
    knownSources.add(value);
  }
  return bad;
}
