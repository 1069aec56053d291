/**
 * The conference's template variables for USSD screens: the delegate calling, the session, day,
 * theme, cohort and institution type the caller chose (`values.session`...), and the event's own
 * fields. Sessions and delegates come from the one table in ./catalogue.
 */
import type { Value, VariableTable } from '../engine';
import type { Language } from '../kernel/language';
import { DELEGATE_VARIABLES, SESSION_VARIABLES, delegateVariables, sessionVariables } from './catalogue';
import type { EventContext } from './context';
import type { EventData } from './event-schema';

const CHANNEL_VARIABLES = ['sms.shortCode'] as const;
const INVITEE_VARIABLES = ['invitee.name', 'invitee.institution'] as const;
/** The longest invitee name and institution an import accepts (the USSD register limits). */
export const INVITEE_LIMITS = { name: 60, institution: 80 } as const;
const CHOICE_VARIABLES = ['day.label', 'theme.title', 'cohort.label', 'cohort.short', 'institutionType.label'] as const;
const EVENT_VARIABLES = [
  'event.name', 'event.shortName', 'event.venue', 'event.organiser', 'event.contact', 'event.contactPhone', 'event.contactEmail', 'event.note',
] as const;

function labelOf<T extends { id: string; label: Record<Language, string> }>(list: T[], id: Value | undefined, lang: Language): string {
  return list.find((item) => item.id === id)?.label[lang] ?? (typeof id === 'string' ? id : '');
}

function eventVariables(event: EventData, lang: Language): Record<(typeof EVENT_VARIABLES)[number], string> {
  return {
    'event.name': event.name[lang],
    'event.shortName': event.shortName[lang],
    'event.venue': event.venue,
    'event.organiser': event.organiser,
    'event.contact': event.contact.name,
    'event.contactPhone': event.contact.phone,
    'event.contactEmail': event.contact.email,
    // The note marks sample data; a real event shows none.
    'event.note': event.sample ? (event.note?.[lang] ?? '') : '',
  };
}

const longest = (texts: readonly string[]): number => texts.reduce((max, t) => Math.max(max, t.length), 0);

/** The conference's variables for the engine: names, texts now, and longest texts on the sample event. */
export const EVENT_VARIABLE_TABLE: VariableTable<EventContext> = {
  names: [...DELEGATE_VARIABLES, ...SESSION_VARIABLES, ...CHOICE_VARIABLES, ...EVENT_VARIABLES, ...CHANNEL_VARIABLES, ...INVITEE_VARIABLES],
  values: ({ ctx: { event, delegate, shortCode, invitee }, lang, values }) => {
    const session = event.sessions.find((s) => s.code === values.session);
    return {
      ...(delegate ? delegateVariables(event, delegate, lang) : {}),
      ...(session ? sessionVariables(event, session, lang) : {}),
      'day.label': event.days.find((d) => d.date === values.day)?.label[lang] ?? '',
      'theme.title': event.themes.find((t) => t.id === values.theme)?.title[lang] ?? '',
      'cohort.label': labelOf(event.cohorts, values.cohort, lang),
      'cohort.short': event.cohorts.find((c) => c.id === values.cohort)?.short[lang] ?? '',
      'institutionType.label': labelOf(event.institutionTypes, values.institutionType, lang),
      ...eventVariables(event, lang),
      'sms.shortCode': shortCode ?? '',
      'invitee.name': invitee?.name ?? '',
      'invitee.institution': invitee?.institution ?? '',
    };
  },
  // Delegate fields share the limits of the values the register flow collects.
  maxLengths: ({ sample: { event }, lang, declared }) => {
    const sessions = event.sessions.map((s) => sessionVariables(event, s, lang));
    const declaredOr = (name: string, fallback: number): number => declared[name]?.maxLength ?? fallback;
    const types = longest(event.institutionTypes.map((t) => t.label[lang]));
    const cohorts = longest(event.cohorts.map((c) => c.label[lang]));
    const cohortsShort = longest(event.cohorts.map((c) => c.short[lang]));
    const lengths: Record<string, number> = {
      'delegate.name': declaredOr('name', 40),
      'delegate.institution': declaredOr('institution', 60),
      'delegate.institutionType': types,
      'delegate.cohort': cohorts,
      'delegate.cohortShort': cohortsShort,
      'delegate.code': declaredOr('code', 8),
      'day.label': longest(event.days.map((d) => d.label[lang])),
      'theme.title': longest(event.themes.map((t) => t.title[lang])),
      'cohort.label': cohorts,
      'cohort.short': cohortsShort,
      'institutionType.label': types,
      'sms.shortCode': 8,
      'invitee.name': INVITEE_LIMITS.name,
      'invitee.institution': INVITEE_LIMITS.institution,
    };
    for (const name of SESSION_VARIABLES) lengths[name] = longest(sessions.map((s) => s[name]));
    for (const [name, text] of Object.entries(eventVariables(event, lang))) lengths[name] = text.length;
    return lengths;
  },
};
