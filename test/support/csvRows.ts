// Test support: a CSV file as a parser reads it (RFC 4180: quoted fields, "" for a quote,
// line breaks inside quotes kept), the BOM dropped. Tests check what a spreadsheet or a CSV
// library would see, not how the writer split its lines.
import fs from 'node:fs';

export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cur += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cur);
      cur = '';
    }
    else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
      i += 1;
    } else cur += ch;
  }
  if (cur !== '' || row.length) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}

/** The file's rows as objects keyed by the header's names. */
export function csvRecords(file: string): { header: string[]; records: Record<string, string>[] } {
  const [header, ...rows] = csvRows(fs.readFileSync(file, 'utf8'));
  return { header, records: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}
