/**
 * CSV as RFC 4180 writes it (CRLF between records, a field with a comma, a double quote, CR or LF quoted, its
 * quotes doubled), with spreadsheet formulas defused: a field starting with = + - @ (or tab or CR, which some
 * spreadsheets skip before one of those) gets a leading ' so it is shown as text, never evaluated.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, defused and quoted as needed. */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${ value }` : value;

  return NEEDS_QUOTES.test(text) ? `"${ text.replace(/"/g, '""') }"` : text;
}

/** Records (the header first) as CSV text, each record ended by CRLF. */
export function csvText(records: string[][]): string {
  return records.map((r) => `${ r.map(csvField).join(',') }\r\n`).join('');
}
