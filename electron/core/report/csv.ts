// CSV cells that a spreadsheet will not run: a text cell starting with = + - @, a tab, a
// carriage return or a NUL gets a leading apostrophe (OWASP "CSV injection", ASVS 5.0 1.2.10);
// then RFC 4180 quoting.

const FORMULA_START = /^[=+\-@\t\r\0]/;

export function neutralizeCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
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
