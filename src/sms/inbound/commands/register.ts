/**
 * `SAJILI Jina Kamili, Taasisi[, Kundi 2]` / `REG Full Name, Institution[, Cohort 2]`: registers
 * from one line and asks for what is missing. Separators: comma, semicolon, slash or a newline;
 * when the message has a semicolon or a newline, only those separate (commas stay in the parts).
 * A cohort is taken only when named (its id, or its short label in either language, e.g. `2`,
 * `Kundi 2`, `cohort2`), never guessed: without one the delegate is stored without one and asked
 * for it as a numbered list answered by one digit (or `SAJILI Kundi 2`), then likewise for the
 * institution type when no part named one.
 */
import { delegateVariables } from '../../../event/catalogue';
import type { EventData } from '../../../event/event-schema';
import { reply, say, type KeywordHandler } from '../command-types';
import { ask, nextQuestion } from './follow-up';

const compact = (text: string): string => text.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');

/** The cohort a part names (`2`, `Kundi 2`, `COHORT2`), or undefined; never a guess. */
export function cohortNamed(event: EventData, part: string): string | undefined {
  const wanted = compact(part);
  if (!wanted) return undefined;
  return event.cohorts.find((c) => compact(c.id) === wanted || Object.values(c.short).some((label) => compact(label) === wanted))?.id;
}

/** The institution type a part names by its id or its label in either language, or undefined. */
export function institutionTypeNamed(event: EventData, part: string): string | undefined {
  const wanted = compact(part);
  if (!wanted) return undefined;
  return event.institutionTypes.find((t) => compact(t.id) === wanted || Object.values(t.label).some((label) => compact(label) === wanted))?.id;
}

export const registerCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone } = call;
  // With a semicolon or a new line in the message, commas belong to the name or institution
  // ("Ofisi ya Rais, Tawala za Mikoa ..."): only those separate the parts.
  const separator = /[;\n]/.test(call.args) ? /[;\n]+/ : /[,;/\n]+/;
  const parts = call.args.split(separator).map((part) => part.replace(/\s+/g, ' ').trim()).filter((part) => part !== '');
  const event = await deps.agenda.get(pack.id);
  // `SAJILI Kundi 2`: a registered delegate adds or changes their cohort.
  const onlyCohort = parts.length === 1 ? cohortNamed(event, parts[0] ?? '') : undefined;
  if (call.delegate) {
    if (!onlyCohort) return [reply(say(pack, lang, 'sms.register_exists', { 'delegate.name': call.delegate.name, 'delegate.code': call.delegate.code }))];
    const updated = (await deps.delegates.update(pack.id, phone, { cohort: onlyCohort })) ?? { ...call.delegate, cohort: onlyCohort };
    const next = nextQuestion(event, updated);
    if (next !== null) return [await ask(pack, event, updated, lang, next, deps.followUps)];
    await deps.followUps?.set(pack.id, phone, null);
    return [reply(say(pack, lang, 'sms.cohort_set', delegateVariables(event, updated, lang)))];
  }
  const [name = '', institution = '', ...rest] = parts;
  if (name.length < 3 || onlyCohort) return [reply(say(pack, lang, 'sms.register_usage'))];
  if (institution.length < 2) return [reply(say(pack, lang, 'sms.register_need_institution', { name }))];
  const cohort = rest.map((part) => cohortNamed(event, part)).find((id) => id !== undefined) ?? '';
  const institutionType = rest.map((part) => institutionTypeNamed(event, part)).find((id) => id !== undefined) ?? '';
  const result = await deps.delegates.register(
    pack.id,
    { phone, name: name.slice(0, 60), institution: institution.slice(0, 80), institutionType, cohort, language: lang, channel: 'sms' },
    deps.clock.now(),
  );
  if (result.status !== 'created') return [{ text: say(pack, lang, 'sms.register_exists', delegateVariables(event, result.delegate, lang)), purpose: 'confirmation' }];
  // What is missing is asked for, one numbered question at a time, answered by its number.
  const question = nextQuestion(event, result.delegate);
  if (question === null) return [{ text: say(pack, lang, 'sms.registered', delegateVariables(event, result.delegate, lang)), purpose: 'confirmation' }];
  return [await ask(pack, event, result.delegate, lang, question, deps.followUps, question === 'cohort' ? 'sms.registered_no_cohort' : 'sms.registered_no_type')];
};
