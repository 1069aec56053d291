/**
 * The event an organiser runs: days, themes, sessions, cohorts and institution types, each label in
 * every language. Flow packs ship a sample; the live copy (edited by organisers) is loaded by the
 * host and handed to the engine in its context.
 */
import { z } from 'zod';
import { perLanguage } from '../kernel/language';

/** A label in every language. Kiswahili first. */
export const BilingualSchema = perLanguage(z.string().min(1));
export type Bilingual = z.infer<typeof BilingualSchema>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const DaySchema = z
  .object({ date: z.string().regex(DATE, 'use YYYY-MM-DD'), label: BilingualSchema, cohort: z.string().optional() })
  .strict();

export const ThemeSchema = z.object({ id: z.string().min(1), title: BilingualSchema, short: BilingualSchema }).strict();

export const CohortSchema = z
  .object({ id: z.string().min(1), label: BilingualSchema, short: BilingualSchema, days: z.array(z.string().regex(DATE)).default([]) })
  .strict();

export const InstitutionTypeSchema = z.object({ id: z.string().min(1), label: BilingualSchema }).strict();

export const SessionSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9]{2,8}$/, 'use capitals and digits, e.g. S101'),
    day: z.string().regex(DATE, 'use YYYY-MM-DD'),
    start: z.string().regex(TIME, 'use HH:mm (24h)'),
    end: z.string().regex(TIME, 'use HH:mm (24h)'),
    title: BilingualSchema,
    short: BilingualSchema,
    speaker: z.string().default(''),
    room: z.string().min(1),
    theme: z.string().nullable().default(null),
  })
  .strict();

export const EventSchema = z
  .object({
    id: z.string().min(1),
    sample: z.boolean().default(false),
    note: BilingualSchema.optional(),
    name: BilingualSchema,
    shortName: BilingualSchema,
    venue: z.string().min(1),
    /** Offset of the event's wall clock, e.g. "+03:00" for Africa/Dar_es_Salaam (no DST). */
    utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/),
    organiser: z.string().min(1),
    contact: z.object({ name: z.string().min(1), phone: z.string().default(''), email: z.string().default('') }).strict(),
    days: z.array(DaySchema).min(1),
    themes: z.array(ThemeSchema),
    cohorts: z.array(CohortSchema),
    institutionTypes: z.array(InstitutionTypeSchema).min(1),
    sessions: z.array(SessionSchema),
  })
  .strict();

export type EventDay = z.infer<typeof DaySchema>;
export type EventTheme = z.infer<typeof ThemeSchema>;
export type EventCohort = z.infer<typeof CohortSchema>;
export type InstitutionType = z.infer<typeof InstitutionTypeSchema>;
export type EventSession = z.infer<typeof SessionSchema>;
export type EventData = z.infer<typeof EventSchema>;

/** Cross-reference problems zod cannot see (unknown theme/day, duplicate codes). Empty when sound. */
export function eventProblems(event: EventData): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const days = new Set(event.days.map((d) => d.date));
  const themes = new Set(event.themes.map((t) => t.id));
  const codes = new Set<string>();
  event.sessions.forEach((s, i) => {
    if (!days.has(s.day)) problems.push({ path: `sessions[${i}].day`, message: `day '${s.day}' is not in days` });
    if (s.theme !== null && !themes.has(s.theme))
      problems.push({ path: `sessions[${i}].theme`, message: `theme '${s.theme}' is not in themes` });
    if (codes.has(s.code)) problems.push({ path: `sessions[${i}].code`, message: `duplicate session code '${s.code}'` });
    if (s.end <= s.start) problems.push({ path: `sessions[${i}].end`, message: 'end must be after start' });
    codes.add(s.code);
  });
  return problems;
}
