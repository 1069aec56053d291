/**
 * Delegate lists as CSV: the export organisers open in a spreadsheet, and the import that
 * registers a list row by row (each row all or nothing), reporting every bad row by line.
 */
import type { EventData } from '../event/event-schema';
import { normalisePhone } from '../kernel/phone';
import { csvRecords, toCsv } from '../kernel/text/csv';
import { AppError } from '../kernel/errors';
import type { Clock } from '../kernel/clock';
import type { Language } from '../kernel/language';
import type { Delegate, DelegateRepository, NewDelegate } from '../event/delegates';

export const DELEGATE_EXPORT_COLUMNS = ['phone', 'name', 'institution', 'institutionType', 'cohort', 'language', 'code', 'channel', 'registeredAt'] as const;
export const DELEGATE_IMPORT_COLUMNS = ['phone', 'name', 'institution', 'institutionType', 'cohort', 'language'] as const;
const MAX_ROWS = 20_000;
const BATCH = 25;

export interface DelegateImportReport {
  rows: number;
  created: number;
  /** Rows whose phone was already registered: left as they were. */
  existing: Array<{ line: number; phone: string; code: string }>;
  /** Rows repeating a phone seen earlier in the same file: skipped. */
  duplicates: Array<{ line: number; phone: string; firstLine: number }>;
  errors: Array<{ line: number; field: string; message: string }>;
}

/** The export: every delegate, spreadsheet-safe. */
export function delegatesToCsv(delegates: readonly Delegate[]): string {
  return toCsv(DELEGATE_EXPORT_COLUMNS, delegates.map((d) => DELEGATE_EXPORT_COLUMNS.map((column) => d[column])));
}

/** Finds an option by id or by its label in either language (case-insensitive). */
function pick(value: string, options: ReadonlyArray<{ id: string; labels: string[] }>): string | undefined {
  const wanted = value.trim().toLowerCase();
  return options.find((o) => o.id.toLowerCase() === wanted || o.labels.some((l) => l.toLowerCase() === wanted))?.id;
}

const LANGUAGE_WORDS: Record<string, Language> = { '': 'sw', sw: 'sw', kiswahili: 'sw', swahili: 'sw', en: 'en', english: 'en', kiingereza: 'en' };

type RowOutcome = { ok: true; delegate: NewDelegate } | { ok: false; errors: DelegateImportReport['errors'] };

/** Checks one row against the event's cohorts and institution types; never throws. */
export function delegateFromRow(line: number, values: Record<string, string>, event: EventData): RowOutcome {
  const errors: DelegateImportReport['errors'] = [];
  const fail = (field: string, message: string) => errors.push({ line, field, message });
  const phone = normalisePhone(values.phone ?? '');
  if (!phone.ok) fail('phone', `phone number ${phone.reason === 'empty' ? 'is missing' : `is ${phone.reason.replace('_', ' ')}`}`);
  const name = (values.name ?? '').replace(/\s+/g, ' ').trim();
  if (name.length < 2 || name.length > 100) fail('name', 'name must be 2 to 100 characters');
  const institution = (values.institution ?? '').replace(/\s+/g, ' ').trim();
  if (institution.length < 2 || institution.length > 150) fail('institution', 'institution must be 2 to 150 characters');
  const types = event.institutionTypes.map((t) => ({ id: t.id, labels: [t.label.sw, t.label.en] }));
  const institutionType = pick(values.institutiontype ?? '', types);
  if (!institutionType) fail('institutionType', `unknown institution type '${values.institutiontype ?? ''}'; use one of ${types.map((t) => t.id).join(', ')}`);
  const cohorts = event.cohorts.map((c) => ({ id: c.id, labels: [c.label.sw, c.label.en, c.short.sw, c.short.en] }));
  const cohort = pick(values.cohort ?? '', cohorts);
  if (!cohort) fail('cohort', `unknown cohort '${values.cohort ?? ''}'; use one of ${cohorts.map((c) => c.id).join(', ')}`);
  const language = LANGUAGE_WORDS[(values.language ?? '').trim().toLowerCase()];
  if (!language) fail('language', 'language must be sw or en');
  if (errors.length > 0 || !phone.ok || !institutionType || !cohort || !language) return { ok: false, errors };
  return { ok: true, delegate: { phone: phone.e164, name, institution, institutionType, cohort, language, channel: 'import' } };
}

/**
 * Registers the valid rows of `csv` (each an atomic register; existing registrations are kept
 * as they are) and reports the others. Throws VALIDATION.CSV only when the header is unusable.
 */
export async function importDelegatesCsv(
  deps: { delegates: DelegateRepository; packId: string; event: EventData; clock: Clock },
  csv: string,
): Promise<DelegateImportReport> {
  const parsed = csvRecords(csv, DELEGATE_IMPORT_COLUMNS);
  if (!parsed.ok) throw new AppError('VALIDATION.CSV', `The CSV header lacks ${parsed.missing.join(', ')}; expected ${DELEGATE_IMPORT_COLUMNS.join(',')}.`, { missing: parsed.missing });
  if (parsed.records.length > MAX_ROWS) throw new AppError('VALIDATION.CSV', `At most ${MAX_ROWS} rows per import; split the file.`);
  const report: DelegateImportReport = { rows: parsed.records.length, created: 0, existing: [], duplicates: [], errors: [] };
  const firstLineByPhone = new Map<string, number>();
  const valid: Array<{ line: number; delegate: NewDelegate }> = [];
  // Validate everything first, so duplicates inside the file are found whatever their order.
  for (const { line, values } of parsed.records) {
    const outcome = delegateFromRow(line, values, deps.event);
    if (!outcome.ok) { report.errors.push(...outcome.errors); continue; }
    const firstLine = firstLineByPhone.get(outcome.delegate.phone);
    if (firstLine !== undefined) { report.duplicates.push({ line, phone: outcome.delegate.phone, firstLine }); continue; }
    firstLineByPhone.set(outcome.delegate.phone, line);
    valid.push({ line, delegate: outcome.delegate });
  }
  // Then register in small parallel batches; each register call is atomic on its own.
  for (let start = 0; start < valid.length; start += BATCH) {
    const batch = valid.slice(start, start + BATCH);
    const results = await Promise.all(batch.map((row) => deps.delegates.register(deps.packId, row.delegate, deps.clock.now())));
    results.forEach((result, index) => {
      const row = batch[index];
      if (!row) return;
      if (result.status === 'created') report.created++;
      else report.existing.push({ line: row.line, phone: row.delegate.phone, code: result.delegate.code });
    });
  }
  return report;
}
