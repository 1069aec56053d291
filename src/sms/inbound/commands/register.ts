/**
 * `SAJILI Jina Kamili, Taasisi[, Kundi 2]` / `REG Full Name, Institution[, Cohort 2]`: registers
 * from one line and asks for what is missing. Separators: comma, semicolon, slash or a newline.
 * A cohort is taken only when named (its id, or its short label in either language, e.g. `2`,
 * `Kundi 2`, `cohort2`), never guessed: without one the delegate is stored without one and told how
 * to add it (`SAJILI Kundi 2` once registered). An institution type is taken when a part names one.
 */
import { delegateVariables } from '../../../event/catalogue';
import type { EventData } from '../../../event/event-schema';
import type { Language } from '../../../kernel/language';
import { reply, say, type KeywordHandler } from '../command-types';

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

/** How the cohorts are named in `lang`, for the reply that asks for one. */
function cohortHints(event: EventData, lang: Language): Record<'cohorts' | 'cohort.example', string> {
  return { cohorts: event.cohorts.map((c) => c.short[lang]).join(', '), 'cohort.example': event.cohorts[0]?.short[lang] ?? '' };
}

export const registerCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone } = call;
  const parts = call.args.split(/[,;/\n]+/).map((part) => part.replace(/\s+/g, ' ').trim()).filter((part) => part !== '');
  const event = await deps.agenda.get(pack.id);
  // `SAJILI Kundi 2`: a registered delegate adds or changes their cohort.
  const onlyCohort = parts.length === 1 ? cohortNamed(event, parts[0] ?? '') : undefined;
  if (call.delegate) {
    if (!onlyCohort) return [reply(say(pack, lang, 'sms.register_exists', { 'delegate.name': call.delegate.name, 'delegate.code': call.delegate.code }))];
    const updated = (await deps.delegates.update(pack.id, phone, { cohort: onlyCohort })) ?? { ...call.delegate, cohort: onlyCohort };
    return [reply(say(pack, lang, 'sms.cohort_set', delegateVariables(event, updated, lang)))];
  }
  const [name = '', institution = '', ...rest] = parts;
  if (name.length < 3 || onlyCohort) return [reply(say(pack, lang, 'sms.register_usage'))];
  if (institution.length < 2) return [reply(say(pack, lang, 'sms.register_need_institution', { name }))];
  const cohort = rest.map((part) => cohortNamed(event, part)).find((id) => id !== undefined) ?? '';
  const institutionType = rest.map((part) => institutionTypeNamed(event, part)).find((id) => id !== undefined) ?? '';
  const result = await deps.delegates.register(
    pack.id,
    { phone, name: name.slice(0, 40), institution: institution.slice(0, 50), institutionType, cohort, language: lang, channel: 'sms' },
    deps.clock.now(),
  );
  if (result.status !== 'created') return [{ text: say(pack, lang, 'sms.register_exists', delegateVariables(event, result.delegate, lang)), purpose: 'confirmation' }];
  const key = result.delegate.cohort ? 'sms.registered' : 'sms.registered_no_cohort';
  return [{ text: say(pack, lang, key, { ...delegateVariables(event, result.delegate, lang), ...cohortHints(event, lang) }), purpose: 'confirmation' }];
};
