/**
 * CSV in and out of the admin API: an RFC 4180 reader that reports each row's line number, and a
 * writer that neutralises cells a spreadsheet would run as a formula (CSV injection).
 */
import { cleanLine } from './clean';

export interface CsvRow {
  /** 1-based line of the file on which the row starts. */
  line: number;
  cells: string[];
}

/**
 * Splits CSV text into rows (quoted cells, doubled quotes, CRLF or LF, a UTF-8 BOM). Blank lines
 * are dropped. Never throws: an unterminated quote runs to the end of the text.
 */
export function parseCsv(text: string): CsvRow[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]?.trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') { cell += '"'; i++; }
      else if (char === '"') quoted = false;
      else { if (char === '\n') line++; cell += char; }
      continue;
    }
    if (char === '"' && cell === '') quoted = true;
    else if (char === ',') { cells.push(cell); cell = ''; }
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that cannot start a formula: a leading `= + - @`, tab or CR gets a `'` in front. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes `neutraliseCell` on import, so an exported file can be imported again unchanged. */
export function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/**
 * Every cell quoted: a spreadsheet set to read `;` (or tab) as the separator still sees one cell,
 * and a cell can never run into the next one whatever it holds.
 */
function quoteCell(value: string): string {
  return `"${neutraliseCell(value).replace(/"/g, '""')}"`;
}

/** CSV text (CRLF line ends) with a header row; every cell neutralised and quoted. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  const lines = [header.map(quoteCell).join(',')];
  for (const row of rows) lines.push(row.map((value) => quoteCell(value === null || value === undefined ? '' : String(value))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Rows as records keyed by the header's (lower-cased, trimmed) names. Returns the header's
 * missing required columns instead of records when there are any.
 */
export function csvRecords(
  text: string,
  required: readonly string[],
): { ok: true; records: Array<{ line: number; values: Record<string, string> }> } | { ok: false; missing: string[] } {
  const [head, ...rows] = parseCsv(text);
  const header = (head?.cells ?? []).map((name) => name.trim().toLowerCase());
  const missing = required.filter((name) => !header.includes(name.toLowerCase()));
  if (missing.length > 0) return { ok: false, missing };
  const records = rows.map((row) => {
    const values: Record<string, string> = {};
    // Control and direction characters are dropped here, once, for every import.
    header.forEach((name, index) => { values[name] = restoreCell(cleanLine(row.cells[index] ?? '').trim()); });
    return { line: row.line, values };
  });
  return { ok: true, records };
}
