// CSV cells that a spreadsheet will not run (OWASP "CSV injection", ASVS 5.0 1.2.10), then
// RFC 4180 quoting. A spreadsheet reads a cell as a formula by its first sign once it has dropped
// what it trims (spaces, tabs, line breaks, zero-width and bidi marks: LibreOffice's "trim
// spaces", Google Sheets), and Excel in Japanese or Chinese reads the full-width ＝ ＋ － ＠ as
// = + - @. Such a cell, and any cell starting with a control character (tab, carriage return,
// NUL: OWASP's list), gets a leading apostrophe; the value is otherwise written as it is, but
// for C0 control characters other than tab, CR and LF, written as \uXXXX.
import { codeUnitEscapes } from '../../../shared/formatCharacters';

/** What a spreadsheet may drop before it reads a cell's first sign. */
const TRIMMED_LEAD = /^[\s\p{Cc}\p{Cf}]*/u;
/** = + - @, their full-width and small forms, and the minus sign. */
const FORMULA_SIGN = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]/u;
const CONTROL_LEAD = /^\p{Cc}/u;

export function neutralizeCell(text: string): string {
  return CONTROL_LEAD.test(text) || FORMULA_SIGN.test(text.replace(TRIMMED_LEAD, '')) ? `'${text}` : text;
}

/** C0 control characters but tab, line feed and carriage return (a cell's own lines, quoted). */
const C0_SHOWN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/**
 * A NUL or another C0 control character written as \uXXXX, as JSON and the report's HTML show
 * what is not drawn: a spreadsheet stops at a NUL or drops the row, CSV tools refuse the file.
 */
const controlsShown = (text: string): string => text.replace(C0_SHOWN, codeUnitEscapes);

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // The apostrophe is decided on the value as it came (a leading NUL gets it), then shown.
  const text = controlsShown(neutralizeCell(typeof value === 'string' ? value : JSON.stringify(value)));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
