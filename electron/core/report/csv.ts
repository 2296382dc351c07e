// CSV cells that a spreadsheet will not run (OWASP "CSV injection", ASVS 5.0 1.2.10), then
// RFC 4180 quoting. A spreadsheet reads a cell as a formula by its first sign once it has dropped
// what it trims (spaces, tabs, line breaks, zero-width and bidi marks: LibreOffice's "trim
// spaces", Google Sheets), and Excel in Japanese or Chinese reads the full-width ＝ ＋ － ＠ as
// = + - @. Such a cell, and any cell starting with a control character (tab, carriage return,
// NUL: OWASP's list), gets a leading apostrophe; the value is otherwise written as it is.

/** What a spreadsheet may drop before it reads a cell's first sign. */
const TRIMMED_LEAD = /^[\s\p{Cc}\p{Cf}]*/u;
/** = + - @, their full-width and small forms, and the minus sign. */
const FORMULA_SIGN = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]/u;
const CONTROL_LEAD = /^\p{Cc}/u;

export function neutralizeCell(text: string): string {
  return CONTROL_LEAD.test(text) || FORMULA_SIGN.test(text.replace(TRIMMED_LEAD, '')) ? `'${text}` : text;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = neutralizeCell(typeof value === 'string' ? value : JSON.stringify(value));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
