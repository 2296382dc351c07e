// A CloudEvents attribute as the HTTP binding writes it in a ce- header (section 3.1.3.2): the
// canonical string, its space, '"', '%' and every character outside printable ASCII
// percent-encoded as UTF-8 bytes. Older producers sent a double-quoted string instead, which
// a receiver still has to unquote (RFC 7230 section 3.2.6) before the one round of decoding.
// Bridges from HTTP to AMQP pass such headers on as they are.

import { BACKSLASH, PERCENT, QUOTE } from './charCodes';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The attribute's text, or why the header value is not one the binding writes. */
export type HeaderValue = { text: string; problem?: undefined } | { problem: string };

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The content of an RFC 7230 quoted-string (`value` starts and ends with '"'), or why it is not one. */
function unquoted(value: string): HeaderValue {
  let text = '';
  const end = value.length - 1;
  for (let i = 1; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < end) text += value[++i];
    else if (c === QUOTE || c === BACKSLASH) return { problem: `the double-quoted value has an unescaped ${JSON.stringify(value[i])} at offset ${i}` };
    else text += value[i];
  }
  return { text };
}

/** The attribute text of a ce- header value: unquoted when double-quoted, then percent-decoded once. */
export function httpHeaderValue(value: string): HeaderValue {
  let text = value;
  if (text.length >= 2 && text.charCodeAt(0) === QUOTE && text.charCodeAt(text.length - 1) === QUOTE) {
    const inner = unquoted(text);
    if (inner.problem !== undefined) return inner;
    text = inner.text;
  }
  let percent = text.indexOf('%');
  if (percent < 0) return { text };
  let out = text.slice(0, percent);
  while (percent >= 0) {
    // A run of encoded octets is one or more whole UTF-8 sequences: a character's bytes are never
    // split by a character written as itself.
    const bytes: number[] = [];
    let i = percent;
    while (text.charCodeAt(i) === PERCENT) {
      const high = hexDigit(text.charCodeAt(i + 1));
      const low = high < 0 ? -1 : hexDigit(text.charCodeAt(i + 2));
      if (low < 0) return { problem: `"%" at offset ${i} is not followed by two hex digits (a literal "%" is sent as %25)` };
      bytes.push(high * 16 + low);
      i += 3;
    }
    try {
      out += utf8.decode(new Uint8Array(bytes));
    } catch {
      return { problem: `${text.slice(percent, i).slice(0, 48)} at offset ${percent} is not UTF-8` };
    }
    percent = text.indexOf('%', i);
    out += text.slice(i, percent < 0 ? text.length : percent);
  }
  return { text: out };
}
