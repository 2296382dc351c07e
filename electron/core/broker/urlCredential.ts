// How payops reads a user or password out of a broker URL (pure: the host side imports it too).

/** A URL's user or password as typed: %XX escapes decoded as UTF-8, a '%' that starts none kept (as in "50%off"). */
export function decodeUrlCredential(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    // Escapes that are not UTF-8: the characters as typed.
    return raw;
  }
}
