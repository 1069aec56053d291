/**
 * The SMS texts a pack must provide: each `sms.*` catalogue key the gateway sends (keyword
 * replies, the registration confirmation, reminders, digests) with the variables the sender fills
 * in, and how long each variable can get. flows:check uses this to report a missing translation,
 * an unknown variable or a text over the SMS budget, exactly as for USSD screens.
 */
import type { FlowPack } from '../engine/types';
import { ALWAYS_VARIABLES, SESSION_VARIABLES, sessionVariables } from '../event/catalogue';
import type { EventData } from '../event/event-schema';
import type { Language } from '../kernel/language';

/** Variables every SMS text may use (the catalogue renderer always fills them). */
export const SMS_ALWAYS_VARIABLES = ALWAYS_VARIABLES;

const SESSION = SESSION_VARIABLES;

/** Feedback, questions to the panel, check-in and the survey: what each text may use. */
const ENGAGE_SMS_MESSAGES: Readonly<Record<string, readonly string[]>> = {
  'sms.feedback_request': SESSION,
  'sms.rate_usage': [],
  'sms.rate_ok': [...SESSION, 'rating'],
  'sms.rate_updated': [...SESSION, 'rating'],
  'sms.rate_not_started': SESSION,
  'sms.rate_none': [],
  'sms.rate_range': [],
  'sms.rate_too_long': ['max'],
  'sms.ask_usage': [],
  'sms.ask_ok': SESSION,
  'sms.ask_closed': SESSION,
  'sms.ask_too_long': ['length', 'max'],
  'sms.checkin_usage': [],
  'sms.checkin_ok': ['delegate.name', 'delegate.code', 'date'],
  'sms.checkin_exists': ['delegate.name', 'delegate.code', 'date', 'time'],
  'sms.checkin_unknown': ['regcode'],
  'sms.checkin_not_yours': ['regcode'],
  'sms.survey_intro': [],
  'sms.survey_q1': [],
  'sms.survey_q2': [],
  'sms.survey_q3': [],
  'sms.survey_done': [],
};

/** Texts a pack may leave out: the survey's fourth and fifth questions. */
export const OPTIONAL_SMS_MESSAGES: Readonly<Record<string, readonly string[]>> = { 'sms.survey_q4': [], 'sms.survey_q5': [] };

/** Longest values of the variables only those texts use (`regcode` follows the pack's declared code length). */
const ENGAGE_VARIABLE_LENGTHS: Readonly<Record<string, number>> = { rating: 1, max: 3, length: 4, time: 5, regcode: 10 };

/**
 * Each SMS key with the variables its sender provides (besides {@link SMS_ALWAYS_VARIABLES}).
 * `days`, `sessions` and `reminders` are multi-line lists that the sender cuts to fit.
 */
export const SMS_MESSAGES: Readonly<Record<string, readonly string[]>> = {
  'sms.registered': ['delegate.name', 'delegate.code'],
  'sms.registered_no_cohort': ['delegate.name', 'delegate.code', 'cohorts', 'cohort.example', 'choices'],
  'sms.registered_no_type': ['delegate.name', 'delegate.code', 'choices'],
  'sms.ask_cohort': ['delegate.name', 'choices'],
  'sms.ask_type': ['delegate.name', 'delegate.cohort', 'choices'],
  'sms.ask_cohort_again': ['choices'],
  'sms.ask_type_again': ['choices'],
  'sms.follow_up_done': ['delegate.name', 'delegate.code', 'delegate.cohort', 'delegate.institutionType'],
  'sms.cohort_set': ['delegate.name', 'delegate.cohort'],
  'sms.register_exists': ['delegate.name', 'delegate.code'],
  'sms.register_usage': [],
  'sms.register_need_institution': ['name'],
  'sms.agenda_days': ['days', 'note'],
  'sms.agenda_day': ['day', 'date', 'sessions', 'note'],
  'sms.session_details': SESSION,
  'sms.session_usage': [],
  'sms.session_unknown': ['code'],
  'sms.remind_usage': [],
  'sms.remind_ok': SESSION,
  'sms.remind_exists': SESSION,
  'sms.mine': ['delegate.name', 'delegate.institution', 'delegate.code', 'reminders'],
  'sms.mine_unregistered': ['reminders'],
  'sms.mine_no_reminders': [],
  'sms.unremind_ok': SESSION,
  'sms.unremind_missing': SESSION,
  'sms.stopped': [],
  'sms.started': [],
  'sms.help': [],
  'sms.unknown': [],
  'sms.cap_reached': [],
  'sms.language_set': [],
  'sms.language_usage': [],
  'sms.reminder': SESSION,
  'sms.session_moved': SESSION,
  'sms.session_cancelled': ['session.code'],
  'sms.digest': ['date', 'sessions', 'note'],
  'sms.remind_over': SESSION,
  'sms.opted_out': [],
  'sms.now_next': ['sessions', 'note'],
  'sms.now_next_none': [],
  'sms.agenda_today': ['date', 'sessions', 'note'],
  'sms.agenda_today_none': [],
  ...ENGAGE_SMS_MESSAGES,
  // A session cut by timeout or network error: the dial string that resumes it, valid `minutes`.
  'sms.recovery': ['dial', 'minutes'],
};

/** Segments of 153 GSM-7 characters an SMS text may take with every variable at its longest. */
export const SMS_MAX_SEGMENTS = 3;
export const SMS_SEGMENT_CHARS = 153;

/** The variables `key` may use, or undefined when `key` is not an SMS text the gateway sends. */
export function smsVariablesOf(key: string): readonly string[] | undefined {
  const own = SMS_MESSAGES[key] ?? OPTIONAL_SMS_MESSAGES[key];
  if (own === undefined) return undefined;
  return [...SMS_ALWAYS_VARIABLES, ...own];
}

const longest = (texts: readonly string[]): number => texts.reduce((max, t) => Math.max(max, t.length), 0);

/**
 * The longest each SMS variable can be in `lang`. Lists count one row at its longest: the sender
 * cuts lists to fit, so the fixed text must leave room for at least one row. User-typed values
 * (`name`, `code`) share the limits of the USSD inputs and of session codes.
 */
export function smsVariableMaxLengths(pack: FlowPack, event: EventData, lang: Language): Record<string, number> {
  const declared = (name: string, fallback: number): number => pack.values[name]?.maxLength ?? fallback;
  const sessions = event.sessions;
  const sessionTexts = sessions.map((s) => sessionVariables(event, s, lang));
  const sessionRow = longest(sessions.map((s) => `${s.start} ${s.code} ${s.short[lang]} (${s.room})`));
  return {
    'event.name': event.shortName[lang].length,
    'ussd.code': longest(pack.serviceCodes),
    'delegate.name': declared('name', 40),
    'delegate.institution': Math.max(declared('institution', 50), 50),
    'delegate.code': declared('code', 10),
    'delegate.cohort': longest(event.cohorts.map((c) => c.label[lang])),
    'delegate.institutionType': longest(event.institutionTypes.map((t) => t.label[lang])),
    // A follow-up question's numbered choices, whole ("1 Kundi 1: ...\n2 ...").
    choices: Math.max(...[event.cohorts.map((c) => c.label[lang]), event.institutionTypes.map((t) => t.label[lang])].map((labels) => labels.reduce((n, l) => n + l.length + 3, 0))),
    cohorts: event.cohorts.map((c) => c.short[lang]).join(', ').length,
    'cohort.example': longest(event.cohorts.map((c) => c.short[lang])),
    name: declared('name', 40),
    code: 8,
    day: longest(event.days.map((d) => d.label[lang])),
    date: 5,
    days: longest(event.days.map((d, i) => `${i + 1}) ${d.label[lang]}`)),
    sessions: sessionRow,
    reminders: longest(sessions.map((s) => `${s.code} ${s.start} ${s.short[lang]}`)),
    ...Object.fromEntries(SESSION.map((name) => [name, longest(sessionTexts.map((s) => s[name]))])),
    // Dates and times can move when organisers edit the agenda: count their longest form.
    'session.date': 5,
    'session.time': 11,
    'session.start': 5,
    ...Object.fromEntries(Object.entries(ENGAGE_VARIABLE_LENGTHS).map(([name, length]) => [name, name === 'regcode' ? declared('code', length) : length])),
    // The pack's code with up to 9 recovery digits, and a window of up to 1440 minutes.
    dial: longest(pack.serviceCodes) + 10,
    minutes: 4,
    'session.startProse': 26,
    'session.timeProse': 52,
    'sms.shortCode': 8,
    // The sample marking ("Ratiba ya mfano"); empty on a real event, and its brackets go with it.
    note: longest(event.note ? [event.note[lang]] : []),
  };
}
