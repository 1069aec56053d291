/**
 * The event an organiser runs: days, themes, sessions, cohorts and institution types, each label in
 * every language. Flow packs ship a sample; the live copy (edited by organisers) is loaded by the
 * host and handed to the engine in its context.
 */
import { z } from 'zod';
import { perLanguage, type Language } from '../kernel/language';

/**
 * Bounds on what an organiser may store. A USSD screen shows 160 characters and long texts are
 * paginated on every hop, so an unbounded field (a pasted 4 MB title) would stall every process
 * that renders it; these limits are generous for real agendas and refuse such input with a reason.
 */
export const EVENT_LIMITS = { label: 300, text: 120, note: 500, sessions: 1000, list: 100 } as const;

const bounded = (max: number) => z.string().max(max, `at most ${max} characters`);

/** A label in every language. Kiswahili first. */
export const BilingualSchema = perLanguage(bounded(EVENT_LIMITS.label).min(1));
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
    /** One text for every language ("eGA"), or one per language when it holds a title ("Dkt." / "Dr."). */
    speaker: z.union([bounded(EVENT_LIMITS.text), perLanguage(bounded(EVENT_LIMITS.text))]).default(''),
    room: bounded(EVENT_LIMITS.text).min(1),
    theme: bounded(EVENT_LIMITS.text).nullable().default(null),
  })
  .strict();

export const EventSchema = z
  .object({
    id: z.string().min(1),
    sample: z.boolean().default(false),
    note: perLanguage(bounded(EVENT_LIMITS.note).min(1)).optional(),
    name: BilingualSchema,
    shortName: BilingualSchema,
    venue: bounded(EVENT_LIMITS.text).min(1),
    /** Offset of the event's wall clock, e.g. "+03:00" for Africa/Dar_es_Salaam (no DST). */
    utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/),
    organiser: bounded(EVENT_LIMITS.text).min(1),
    contact: z.object({ name: bounded(EVENT_LIMITS.text).min(1), phone: bounded(EVENT_LIMITS.text).default(''), email: bounded(EVENT_LIMITS.text).default('') }).strict(),
    days: z.array(DaySchema).min(1).max(EVENT_LIMITS.list),
    themes: z.array(ThemeSchema).max(EVENT_LIMITS.list),
    cohorts: z.array(CohortSchema).max(EVENT_LIMITS.list),
    institutionTypes: z.array(InstitutionTypeSchema).min(1).max(EVENT_LIMITS.list),
    sessions: z.array(SessionSchema).max(EVENT_LIMITS.sessions, `at most ${EVENT_LIMITS.sessions} sessions`),
  })
  .strict();

export type EventDay = z.infer<typeof DaySchema>;
export type EventTheme = z.infer<typeof ThemeSchema>;
export type EventCohort = z.infer<typeof CohortSchema>;
export type InstitutionType = z.infer<typeof InstitutionTypeSchema>;
export type EventSession = z.infer<typeof SessionSchema>;
export type EventData = z.infer<typeof EventSchema>;

/** A session's speaker in `lang` ('' when none is named). */
export function speakerIn(session: Pick<EventSession, 'speaker'>, lang: Language): string {
  return typeof session.speaker === 'string' ? session.speaker : session.speaker[lang];
}

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

/**
 * Reads an event stored before the bounds existed: any text or list over its bound is cut to it
 * (the paths cut are returned so the host can say so), then the whole is checked as usual. Returns
 * null when the value is not an event even once clipped. Never throws.
 */
export function clipEvent(value: unknown): { event: EventData; clipped: string[] } | null {
  const clipped: string[] = [];
  let current = value;
  for (let round = 0; round < 3; round += 1) {
    const parsed = EventSchema.safeParse(current);
    if (parsed.success) return { event: parsed.data, clipped };
    const tooBig = parsed.error.issues.filter((issue) => issue.code === 'too_big');
    if (tooBig.length === 0) return null;
    current = structuredClone(current);
    for (const issue of tooBig) {
      const path = issue.path as Array<string | number>;
      const parent = path.slice(0, -1).reduce<unknown>((node, part) => (node as Record<string | number, unknown> | undefined)?.[part], current);
      const last = path.at(-1);
      if (last === undefined || parent === null || typeof parent !== 'object') continue;
      const slot = parent as Record<string | number, unknown>;
      const limit = Number(issue.maximum);
      const found = slot[last];
      if (typeof found === 'string' || Array.isArray(found)) slot[last] = found.slice(0, limit);
      clipped.push(path.join('.'));
    }
  }
  return null;
}
