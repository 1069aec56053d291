/**
 * The variables a message may use, and how long each can get (for flows:check budgets).
 * `values.<name>` come from the session; the rest from the context (delegate, event data).
 */
import type { EventData, EventSession } from '../event/event-schema';
import { sanitizeDisplay } from './sanitize';
import type { EngineContext, FlowPack, Language, Value } from './types';

export const CONTEXT_VARIABLES = [
  'delegate.name', 'delegate.institution', 'delegate.institutionType', 'delegate.cohort', 'delegate.cohortShort', 'delegate.code',
  'session.code', 'session.title', 'session.short', 'session.speaker', 'session.room', 'session.time',
  'session.day', 'session.theme', 'day.label', 'theme.title', 'cohort.label', 'cohort.short', 'institutionType.label',
  'language.name', 'event.name', 'event.shortName', 'event.venue', 'event.organiser', 'event.contact',
  'event.contactPhone', 'event.contactEmail', 'event.note', 'input.min', 'input.max',
  'keys.back', 'keys.home', 'keys.more',
] as const;

const LANGUAGE_NAMES: Record<string, string> = { sw: 'Kiswahili', en: 'English' };

function sessionVars(event: EventData, session: EventSession | undefined, lang: Language): Record<string, string> {
  if (!session) return {};
  const day = event.days.find((d) => d.date === session.day);
  const theme = event.themes.find((t) => t.id === session.theme);
  return {
    'session.code': session.code,
    'session.title': session.title[lang],
    'session.short': session.short[lang],
    'session.speaker': session.speaker || '-',
    'session.room': session.room,
    'session.time': `${session.start}-${session.end}`,
    'session.day': day?.label[lang] ?? session.day,
    'session.theme': theme?.title[lang] ?? '-',
  };
}

function labelOf<T extends { id: string; label: Record<Language, string> }>(list: T[], id: Value | undefined, lang: Language): string {
  return list.find((item) => item.id === id)?.label[lang] ?? (typeof id === 'string' ? id : '');
}

/** Every variable's text for this moment. Values typed by callers are shown as typed. */
export function buildVariables(
  pack: FlowPack,
  ctx: EngineContext,
  lang: Language,
  values: Record<string, Value>,
): Record<string, string> {
  const { event, delegate } = ctx;
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) vars[`values.${name}`] = value === null ? '' : String(value);
  if (delegate) {
    vars['delegate.name'] = delegate.name;
    vars['delegate.institution'] = delegate.institution;
    vars['delegate.institutionType'] = labelOf(event.institutionTypes, delegate.institutionType, lang);
    vars['delegate.cohort'] = labelOf(event.cohorts, delegate.cohort, lang);
    vars['delegate.cohortShort'] = event.cohorts.find((c) => c.id === delegate.cohort)?.short[lang] ?? delegate.cohort;
    vars['delegate.code'] = delegate.code;
  }
  Object.assign(vars, sessionVars(event, event.sessions.find((s) => s.code === values.session), lang));
  vars['day.label'] = event.days.find((d) => d.date === values.day)?.label[lang] ?? '';
  vars['theme.title'] = event.themes.find((t) => t.id === values.theme)?.title[lang] ?? '';
  vars['cohort.label'] = labelOf(event.cohorts, values.cohort, lang);
  vars['cohort.short'] = event.cohorts.find((c) => c.id === values.cohort)?.short[lang] ?? '';
  vars['institutionType.label'] = labelOf(event.institutionTypes, values.institutionType, lang);
  vars['language.name'] = LANGUAGE_NAMES[lang] ?? lang;
  vars['event.name'] = event.name[lang];
  vars['event.shortName'] = event.shortName[lang];
  vars['event.venue'] = event.venue;
  vars['event.organiser'] = event.organiser;
  vars['event.contact'] = event.contact.name;
  vars['event.contactPhone'] = event.contact.phone;
  vars['event.contactEmail'] = event.contact.email;
  vars['event.note'] = event.sample ? (event.note?.[lang] ?? '') : '';
  vars['keys.back'] = pack.nav.back.key;
  vars['keys.home'] = pack.nav.home.key;
  vars['keys.more'] = pack.nav.more.key;
  // Sanitised on first read: a screen uses a handful of these, and sanitising costs per character.
  const shown = new Map<string, string>();
  return new Proxy(vars, {
    get(target, key) {
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return undefined;
      let value = shown.get(key);
      if (value === undefined) {
        value = sanitizeDisplay(target[key] ?? '');
        shown.set(key, value);
      }
      return value;
    },
  });
}

const longest = (texts: string[]): number => texts.reduce((max, t) => Math.max(max, t.length), 0);

/**
 * The longest each context variable can be in `lang`, from the event data and the declared value
 * lengths (delegate fields share the limits of the values the register flow collects).
 */
export function variableMaxLengths(pack: FlowPack, event: EventData, lang: Language): Record<string, number> {
  const sessions = event.sessions.map((s) => sessionVars(event, s, lang));
  const fromSessions = (key: string): number => longest(sessions.map((s) => s[key] ?? ''));
  const declared = (name: string, fallback: number): number => pack.values[name]?.maxLength ?? fallback;
  const types = longest(event.institutionTypes.map((t) => t.label[lang]));
  const cohorts = longest(event.cohorts.map((c) => c.label[lang]));
  const lengths: Record<string, number> = {
    'delegate.name': declared('name', 40),
    'delegate.institution': declared('institution', 60),
    'delegate.institutionType': types,
    'delegate.cohort': cohorts,
    'delegate.code': declared('code', 8),
    'day.label': longest(event.days.map((d) => d.label[lang])),
    'theme.title': longest(event.themes.map((t) => t.title[lang])),
    'cohort.label': cohorts,
    'cohort.short': longest(event.cohorts.map((c) => c.short[lang])),
    'delegate.cohortShort': longest(event.cohorts.map((c) => c.short[lang])),
    'institutionType.label': types,
    'language.name': longest(Object.values(LANGUAGE_NAMES)),
    'event.name': event.name[lang].length,
    'event.shortName': event.shortName[lang].length,
    'event.venue': event.venue.length,
    'event.organiser': event.organiser.length,
    'event.contact': event.contact.name.length,
    'event.contactPhone': event.contact.phone.length,
    'event.contactEmail': event.contact.email.length,
    'event.note': event.note?.[lang].length ?? 0,
    'input.min': 3,
    'input.max': 3,
    'keys.back': pack.nav.back.key.length,
    'keys.home': pack.nav.home.key.length,
    'keys.more': pack.nav.more.key.length,
  };
  for (const key of ['code', 'title', 'short', 'speaker', 'room', 'time', 'day', 'theme']) lengths[`session.${key}`] = fromSessions(`session.${key}`);
  for (const [name, spec] of Object.entries(pack.values)) lengths[`values.${name}`] = spec.maxLength;
  return lengths;
}
