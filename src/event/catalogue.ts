/**
 * The conference's one template-variable table and its one catalogue renderer. USSD screens, SMS
 * keyword replies, reminders, digests and broadcasts all name a session or a delegate with these
 * variables, so `{session.theme}` or `{delegate.cohort}` reads the same on every channel.
 */
import { renderTemplate, type FlowPack } from '../engine';
import type { Language } from '../kernel/language';
import { shortDate } from '../kernel/local-time';
import type { DelegateView } from './context';
import { speakerIn, type EventData, type EventSession } from './event-schema';
import { swahiliTime, swahiliTimeRange } from '../kernel/swahili-time';
import type { EventPack } from './event-pack';

/** Variables of one session (see {@link sessionVariables}). */
export const SESSION_VARIABLES = [
  'session.code', 'session.title', 'session.short', 'session.speaker', 'session.room', 'session.time',
  'session.start', 'session.date', 'session.day', 'session.theme', 'session.startProse', 'session.timeProse', 'session.note',
] as const;

/** Variables of one delegate (see {@link delegateVariables}). */
export const DELEGATE_VARIABLES = [
  'delegate.name', 'delegate.institution', 'delegate.institutionType', 'delegate.cohort', 'delegate.cohortShort', 'delegate.code',
] as const;

/**
 * Every variable of `session` in `lang`. `session.day` is the day's label ("Jumatatu 17/8"),
 * `session.date` its short date ("17/8"), `session.theme` the theme's title ('-' without one).
 * `session.time`/`session.start` are the 24-hour timetable form for screens and list rows;
 * `session.startProse`/`session.timeProse` the form for prose SMS (Swahili time in Kiswahili).
 */
export function sessionVariables(event: EventData, session: EventSession, lang: Language): Record<(typeof SESSION_VARIABLES)[number], string> {
  const day = event.days.find((d) => d.date === session.day);
  const theme = event.themes.find((t) => t.id === session.theme);
  return {
    'session.code': session.code,
    'session.title': session.title[lang],
    'session.short': session.short[lang],
    'session.speaker': speakerIn(session, lang) || '-',
    'session.room': session.room,
    'session.time': `${session.start}-${session.end}`,
    'session.start': session.start,
    'session.date': shortDate(session.day),
    'session.day': day?.label[lang] ?? session.day,
    'session.theme': theme?.title[lang] ?? '-',
    // Prose SMS: Swahili time with the 24-hour figure in Kiswahili ("saa 8:00 mchana (14:00)").
    'session.startProse': lang === 'sw' ? swahiliTime(session.start) : session.start,
    'session.timeProse': lang === 'sw' ? swahiliTimeRange(session.start, session.end) : `${session.start}-${session.end}`,
    // The sample marking of a sample event ("Ratiba ya mfano"), '' once organisers made it theirs.
    'session.note': event.sample ? (event.note?.[lang] ?? '') : '',
  };
}

/** Every variable of `delegate` in `lang`; institution types and cohorts shown by their labels (their id when unknown). */
export function delegateVariables(
  event: EventData,
  delegate: Omit<DelegateView, 'language'>,
  lang: Language,
): Record<(typeof DELEGATE_VARIABLES)[number], string> {
  const cohort = event.cohorts.find((c) => c.id === delegate.cohort);
  return {
    'delegate.name': delegate.name,
    'delegate.institution': delegate.institution,
    'delegate.institutionType': event.institutionTypes.find((t) => t.id === delegate.institutionType)?.label[lang] ?? delegate.institutionType,
    'delegate.cohort': cohort?.label[lang] ?? delegate.cohort,
    'delegate.cohortShort': cohort?.short[lang] ?? delegate.cohort,
    'delegate.code': delegate.code,
  };
}

/** Variables every catalogue text may use on every channel. */
export const ALWAYS_VARIABLES = ['event.name', 'ussd.code', 'sms.shortCode'] as const;

/**
 * Catalogue text `key` in `lang` (falling back to the pack's default language, then to the key),
 * filled with `vars` and the {@link ALWAYS_VARIABLES}: `{event.name}` is the event's short name,
 * `{ussd.code}` the pack's first service code, `{sms.shortCode}` the short code it answers SMS on. Never throws; a missing variable renders as ''.
 */
export function renderMessage(
  pack: Pick<FlowPack, 'messages' | 'defaultLanguage' | 'serviceCodes'> & Pick<EventPack, 'event' | 'shortCode'>,
  lang: Language,
  key: string,
  vars: Readonly<Record<string, string | undefined>> = {},
): string {
  const template = pack.messages[lang][key] ?? pack.messages[pack.defaultLanguage][key] ?? key;
  const always = { 'event.name': pack.event.shortName[lang], 'ussd.code': pack.serviceCodes[0] ?? '', 'sms.shortCode': pack.shortCode ?? '' };
  return renderTemplate(template, { ...always, ...vars });
}
