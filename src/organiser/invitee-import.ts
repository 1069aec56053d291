/**
 * The invitation list: organisers import invitees (phone, name with title, institution, type,
 * cohort) as JSON rows or CSV. Every row is checked against the event's institution types and
 * cohorts and the USSD limits (names up to 60, institutions up to 80, so the welcome screen
 * fits); valid rows are stored (a phone already invited is updated), bad ones are reported by row.
 */
import type { EventData } from '../event/event-schema';
import type { Invitee, InviteeRepository } from '../event/invitees';
import { INVITEE_LIMITS } from '../event/variables';
import { AppError } from '../kernel/errors';
import type { Clock } from '../kernel/clock';
import { normalisePhone } from '../kernel/phone';
import { csvRecords } from '../kernel/text/csv';

export const INVITEE_COLUMNS = ['phone', 'name', 'institution', 'institutionType', 'cohort'] as const;
/** Rows per import (JSON or CSV); a larger list is split into several imports. */
export const MAX_INVITEE_ROWS = 5000;

export interface InviteeRow {
  phone: string;
  name: string;
  institution: string;
  institutionType: string;
  cohort: string;
}

export interface InviteeImportReport {
  rows: number;
  added: number;
  updated: number;
  /** Rows repeating a phone seen earlier in the same list: skipped. */
  duplicates: Array<{ row: number; phone: string; firstRow: number }>;
  /** `row`: 1-based row of the JSON list, or the CSV line. */
  errors: Array<{ row: number; field: string; message: string }>;
}

const clean = (value: string | undefined): string => (value ?? '').replace(/\s+/g, ' ').trim();

function pick(value: string, options: ReadonlyArray<{ id: string; labels: string[] }>): string | undefined {
  const wanted = value.trim().toLowerCase();
  return options.find((o) => o.id.toLowerCase() === wanted || o.labels.some((l) => l.toLowerCase() === wanted))?.id;
}

/** Checks one row; never throws. Type and cohort are ids or labels (either language). */
export function inviteeFromRow(row: number, values: Partial<InviteeRow>, event: EventData, at: Date): { ok: true; invitee: Invitee } | { ok: false; errors: InviteeImportReport['errors'] } {
  const errors: InviteeImportReport['errors'] = [];
  const fail = (field: string, message: string) => errors.push({ row, field, message });
  const phone = normalisePhone(values.phone ?? '');
  if (!phone.ok) fail('phone', `phone number ${phone.reason === 'empty' ? 'is missing' : `is ${phone.reason.replace('_', ' ')}`}`);
  const name = clean(values.name);
  if (name.length < 3 || name.length > INVITEE_LIMITS.name) fail('name', `name (with title) must be 3 to ${INVITEE_LIMITS.name} characters`);
  const institution = clean(values.institution);
  if (institution.length < 2 || institution.length > INVITEE_LIMITS.institution) fail('institution', `institution must be 2 to ${INVITEE_LIMITS.institution} characters`);
  const types = event.institutionTypes.map((t) => ({ id: t.id, labels: [t.label.sw, t.label.en] }));
  const institutionType = pick(values.institutionType ?? '', types);
  if (!institutionType) fail('institutionType', `unknown institution type '${values.institutionType ?? ''}'; use one of ${types.map((t) => t.id).join(', ')}`);
  const cohorts = event.cohorts.map((c) => ({ id: c.id, labels: [c.label.sw, c.label.en, c.short.sw, c.short.en] }));
  const cohort = event.cohorts.length === 0 ? '' : pick(values.cohort ?? '', cohorts);
  if (cohort === undefined) fail('cohort', `unknown cohort '${values.cohort ?? ''}'; use one of ${cohorts.map((c) => c.id).join(', ')}`);
  if (errors.length > 0 || !phone.ok || !institutionType || cohort === undefined) return { ok: false, errors };
  return { ok: true, invitee: { phone: phone.e164, name, institution, institutionType, cohort, invitedAt: at.toISOString() } };
}

/** Stores the valid rows and reports the others. Throws VALIDATION.CSV for a list over the row limit. */
export async function importInvitees(
  deps: { invitees: InviteeRepository; packId: string; event: EventData; clock: Clock },
  rows: ReadonlyArray<{ row: number; values: Partial<InviteeRow> }>,
): Promise<InviteeImportReport> {
  if (rows.length > MAX_INVITEE_ROWS) throw new AppError('VALIDATION.CSV', `At most ${MAX_INVITEE_ROWS} invitees per import; split the list.`, { rows: rows.length, limit: MAX_INVITEE_ROWS });
  const report: InviteeImportReport = { rows: rows.length, added: 0, updated: 0, duplicates: [], errors: [] };
  const firstRow = new Map<string, number>();
  const valid: Invitee[] = [];
  const at = deps.clock.now();
  for (const { row, values } of rows) {
    const outcome = inviteeFromRow(row, values, deps.event, at);
    if (!outcome.ok) { report.errors.push(...outcome.errors); continue; }
    const first = firstRow.get(outcome.invitee.phone);
    if (first !== undefined) { report.duplicates.push({ row, phone: outcome.invitee.phone, firstRow: first }); continue; }
    firstRow.set(outcome.invitee.phone, row);
    valid.push(outcome.invitee);
  }
  const { added, updated } = await deps.invitees.putMany(deps.packId, valid);
  return { ...report, added, updated };
}

/** The CSV form: a header naming the columns (any order; institutionType may be written institution_type or type). */
export function inviteeRowsFromCsv(csv: string): Array<{ row: number; values: Partial<InviteeRow> }> {
  const parsed = csvRecords(csv, ['phone', 'name', 'institution']);
  if (!parsed.ok) throw new AppError('VALIDATION.CSV', `The CSV header lacks ${parsed.missing.join(', ')}; expected ${INVITEE_COLUMNS.join(',')}.`, { missing: parsed.missing });
  return parsed.records.map(({ line, values }) => ({
    row: line,
    values: {
      phone: values.phone ?? '', name: values.name ?? '', institution: values.institution ?? '',
      institutionType: values.institutiontype ?? values.institution_type ?? values.type ?? '', cohort: values.cohort ?? '',
    },
  }));
}
