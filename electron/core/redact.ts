/**
 * Removes credentials from a broker URL (and from any text that quotes one), so that
 * logs, errors and the UI never show a password.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return redactSecrets(url);
  }
}

/** Replaces `user:password@` in any URL-looking text (error messages quote URLs verbatim). */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
}

/** An Error whose message is safe to print: credentials stripped, no stack for operators. */
export function safeErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return redactSecrets(message);
}
