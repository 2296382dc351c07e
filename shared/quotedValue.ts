// When a value (a merchant id, an issuer, a group's value) is written in quotes: where it would not
// be seen as written, or would pass for a quoted one. One rule for the alerts' texts, the CLI's
// labels, the explorer's chips and a report's filter, so one id reads alike in all of them.

/** Empty, white space at either end, or a quote at either end. */
export function needsQuotes(value: string): boolean {
  return value === '' || /^\s|\s$/u.test(value) || value.startsWith('"') || value.endsWith('"');
}

/** The value as written, or quoted JSON-style ("m_1\"", " m_1") when it needs quotes. */
export function quotedValue(value: string): string {
  return needsQuotes(value) ? JSON.stringify(value) : value;
}
