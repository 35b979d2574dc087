/**
 * CSV for spreadsheets, safe against formula injection: a cell that starts with `=`, `+`, `-`, `@` (or a tab or
 * carriage return, which some spreadsheets skip before one of those) is prefixed with `'`, so it stays text.
 * Kept rather than a CSV library: csv-stringify (`escape_formulas`) and papaparse (`escapeFormulae`) guard only when
 * asked, and then guard numbers too (a negative amount would become text); here the guard is always on and applies
 * to text only, and the quoting around it is two lines.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text with a header row; `;` is what Norwegian spreadsheets expect; a BOM so Excel reads UTF-8. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
