/**
 * Removes credentials from a broker URL (and from any text that quotes one), so that
 * logs, errors and the UI never show a password.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    // 'amqp:/user:pw@host' parses, as a path without a host: read it as the typo it is.
    if (!u.host) throw new TypeError('no host');
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not a URL (a typo such as 'amqp//user:pw@host'): whatever precedes an '@' may be a
    // password, with or without a user before it.
    return redactSecrets(url).replace(/[^/\s@]+@/g, (m) => (m.endsWith(':***@') ? m : '***@'));
  }
}

/**
 * Replaces `user:password@` in any URL-looking text (error messages quote URLs verbatim). A
 * password may hold a literal @ (URL parsers end it at the authority's last @), so every
 * further `...@` before the host's `/`, `?` or `#` is hidden too.
 */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@(?:[^@\s/?#]*@)*/gi, '$1:***@');
}

/** An Error whose message is safe to print: credentials stripped, no stack for operators. */
export function safeErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return redactSecrets(message);
}
