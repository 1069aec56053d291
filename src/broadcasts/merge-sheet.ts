/**
 * Merge broadcasts from a sheet: a CSV with a `phone` column and one column per variable; each
 * `{column}` in the text is filled from the recipient's row. Rows that cannot be sent are listed
 * with their line and reason (bad number, repeated number, a value the text needs left empty).
 */
import { normalisePhone } from '../kernel/phone';
import { parseCsv } from '../kernel/text/csv';

/** Column names usable as placeholders: letters, digits and _ (the name, code and session placeholders stay the gateway's). */
const COLUMN = /^[a-z][a-z0-9_]{0,29}$/;
const RESERVED = new Set(['phone', 'name', 'code', 'session']);

export interface MergeData {
  /** Variable columns, as typed in the header (lower case). */
  columns: string[];
  /** E.164 phone -> its row's values. */
  values: Record<string, Record<string, string>>;
  /** Rows not sent, with the sheet's line number. */
  invalid: Array<{ line: number; phone: string; reason: string }>;
}

/** The columns a text uses, of `columns`. */
export function usedColumns(texts: ReadonlyArray<string | undefined>, columns: readonly string[]): string[] {
  return columns.filter((c) => texts.some((text) => text?.includes(`{${c}}`)));
}

/** Reads the sheet; `texts` say which columns must not be empty. Throws nothing: problems become invalid rows. */
export function readMergeSheet(csv: string, texts: ReadonlyArray<string | undefined>): { phones: string[]; merge: MergeData } {
  const rows = parseCsv(csv);
  const header = (rows[0]?.cells ?? []).map((c) => c.trim().toLowerCase());
  const phoneAt = header.indexOf('phone');
  const columns = header.filter((c, i) => i !== phoneAt && COLUMN.test(c) && !RESERVED.has(c));
  const needed = usedColumns(texts, columns);
  const merge: MergeData = { columns, values: {}, invalid: [] };
  const phones: string[] = [];
  if (phoneAt < 0) {
    merge.invalid.push({ line: rows[0]?.line ?? 1, phone: '', reason: 'no phone column in the header' });
    return { phones, merge };
  }
  for (const row of rows.slice(1)) {
    const raw = (row.cells[phoneAt] ?? '').trim().replace(/^'/, '');
    const phone = normalisePhone(raw);
    if (!phone.ok) { merge.invalid.push({ line: row.line, phone: raw.slice(0, 40), reason: 'invalid number' }); continue; }
    if (merge.values[phone.e164]) { merge.invalid.push({ line: row.line, phone: phone.e164, reason: 'repeated number' }); continue; }
    const values = Object.fromEntries(columns.map((c) => [c, (row.cells[header.indexOf(c)] ?? '').trim().slice(0, 160)]));
    const empty = needed.filter((c) => values[c] === '');
    if (empty.length > 0) { merge.invalid.push({ line: row.line, phone: phone.e164, reason: `empty ${empty.map((c) => `{${c}}`).join(', ')}` }); continue; }
    merge.values[phone.e164] = values;
    phones.push(phone.e164);
  }
  return { phones, merge };
}

/** `text` with each `{column}` of `values` filled. */
export function fillColumns(text: string, values: Record<string, string> | undefined): string {
  if (!values) return text;
  return text.replace(/\{([a-z][a-z0-9_]{0,29})\}/g, (whole, name: string) => values[name] ?? whole);
}
