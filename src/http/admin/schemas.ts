/**
 * Zod schemas of the admin API's queries and bodies. The router validates with them and the
 * OpenAPI document is generated from them (z.toJSONSchema), so both always agree.
 */
import { z } from 'zod';
import { SessionSchema } from '../../event/event-schema';

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const DelegateListQuery = z
  .object({
    search: z.string().max(100).optional().describe('Matches name, institution, registration code or phone'),
    cohort: z.string().max(40).optional(),
    institutionType: z.string().max(60).optional(),
    registeredSince: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('ISO date or date-time'),
    offset: z.coerce.number().int().min(0).default(0),
    limit: limit(500, 50),
  })
  .strict();

export const CsvImportBody = z.object({ csv: z.string().min(1).max(5_000_000) }).strict().describe('CSV text; the body may instead be the CSV itself as text/csv');

export const SessionCreateBody = SessionSchema;
export const SessionPatchBody = SessionSchema.omit({ code: true }).partial().strict();

export const AudienceBody = z
  .object({
    all: z.boolean().optional(),
    cohorts: z.array(z.string().min(1).max(40)).max(50).optional(),
    institutionTypes: z.array(z.string().min(1).max(60)).max(50).optional(),
    sessions: z.array(z.string().min(1).max(8)).max(200).optional(),
    phones: z.array(z.string().min(1).max(40)).max(50_000).optional(),
    phonesCsv: z.string().max(2_000_000).optional().describe('CSV or one number per line; the first column (or the column named phone) is used'),
    notCheckedIn: z.boolean().optional().describe('registered delegates not checked in on any day'),
    mergeCsv: z.string().max(2_000_000).optional().describe('A merge sheet: CSV with a phone column and one column per variable; {column} in the text is filled from each row'),
  })
  .strict();

export const DraftBody = z
  .object({
    name: z.string().max(120).optional(),
    audience: AudienceBody,
    messages: z.object({ sw: z.string().max(1600).optional(), en: z.string().max(1600).optional() }).strict(),
    sendAt: z.iso.datetime({ offset: true }).nullable().optional().describe('ISO time; null or absent sends now'),
    urgent: z.boolean().optional().describe('Ignore quiet hours'),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional().describe('ISO time after which nothing more is sent: what is still unsent then ends skipped, reason expired'),
    validForMinutes: z.number().int().min(1).max(10_080).optional().describe('The same as minutes after the send time (after any quiet-hours hold); not with expiresAt'),
    force: z.boolean().optional().describe('Send even to phones that already got the same text SMS_CONTENT_REPEAT_CAP times in 30 minutes (otherwise skipped, reason repeated_content)'),
  })
  .strict()
  .refine((draft) => Boolean(draft.messages.sw?.trim() || draft.messages.en?.trim()), { message: 'write the message in at least one language', path: ['messages'] });

export const TestSendBody = z.object({ draft: DraftBody, phone: z.string().min(1).max(40) }).strict();
export const ResendBody = z.object({ which: z.enum(['failed', 'uncertain']) }).strict();
export const BroadcastListQuery = z.object({ limit: limit(200, 50) }).strict();
export const ReportCsvQuery = z.object({ mask: z.enum(['true', 'false']).default('false').describe('Mask phone numbers (always masked for viewers)') }).strict();
export const OutboxQuery = z
  .object({
    phone: z.string().max(40).optional(),
    limit: limit(500, 100),
    sinceId: z.string().regex(/^[\w:.-]{1,100}$/).optional(),
  })
  .strict();


/** One invitee as organisers send it; each row is checked on its own (limits, type, cohort) and reported by row. */
export const InviteeRowBody = z
  .object({
    phone: z.string().max(40).describe('Mobile number, e.g. +255712345678 or 0712345678'),
    name: z.string().max(200).describe('Name with title, as the welcome screen greets them ("Dkt. Asha Juma"); 3 to 60 characters'),
    institution: z.string().max(200).describe('2 to 80 characters'),
    institutionType: z.string().max(60).describe("An institution type id of the event (or its label)"),
    cohort: z.string().max(40).default('').describe('A cohort id of the event (or its label)'),
  })
  .strict();
export const InviteesBody = z.object({ invitees: z.array(InviteeRowBody).min(1).max(5000).describe('At most 5000 rows per request') }).strict();
export const InviteeListQuery = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: limit(500, 50) }).strict();
/** The dashboard's time window: the last `minutes` minutes (default three hours, at most two days). */
export const StatsQuery = z
  .object({
    minutes: z.coerce.number().int().min(10).max(2880).default(180),
  })
  .strict();

/** The opt-out list's search and page. */
export const OptOutQuery = z
  .object({
    search: z.string().max(40).optional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: limit(500, 50),
  })
  .strict();

/** Opting a number back in needs the reason, for the audit trail. */
export const OptInBody = z.object({ reason: z.string().trim().min(3).max(300) }).strict();

/** The audit trail's length and an optional action to keep. */
export const AuditQuery = z
  .object({
    limit: limit(5000, 200),
    action: z.string().max(80).optional(),
  })
  .strict();

/** An organiser's reply to an inbound SMS: one SMS worth of text, at most 480 characters. */
export const InboxReplyBody = z.object({ text: z.string().trim().min(1).max(480) }).strict();
