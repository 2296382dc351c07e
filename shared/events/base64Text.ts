// The base64 of `data_base64` (CloudEvents JSON format: Binary data as base64, RFC 4648
// section 4): the 64-character alphabet, in groups of four, "=" padding only at the end. No
// line breaks or spaces (RFC 4648 section 3.3: a reader refuses characters outside the
// alphabet unless the format allows them; this one does not), no base64url. Read in one
// pass with a table built once: the check runs on every event that carries bytes.

const BASE64_ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_ALPHABET[c.charCodeAt(0)] = 1;
const PAD = 61;

function shown(c: number): string {
  return `${JSON.stringify(String.fromCharCode(c))} (U+${c.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Why `value` is not RFC 4648 base64, in words for a quarantine reason; null when it is. */
export function base64Problem(value: string): string | null {
  const n = value.length;
  let end = n;
  if (end > 0 && value.charCodeAt(end - 1) === PAD) end--;
  if (end > 0 && value.charCodeAt(end - 1) === PAD) end--;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c < 128 && BASE64_ALPHABET[c] === 1) continue;
    if (c === PAD) return `"=" at offset ${i} is padding before the end`;
    const hint = c === 45 || c === 95 ? ' ("-" and "_" are base64url, which data_base64 is not)' : '';
    return `${shown(c)} at offset ${i} is not in the base64 alphabet${hint}`;
  }
  if (n % 4 !== 0) return `it is ${n} characters: base64 comes in groups of 4, padded with "="`;
  return null;
}
