/**
 * Follow-up questions of an SMS registration: the cohort, then the institution type, each asked
 * as a numbered list and answered by its number alone ("2"). Nothing is guessed: an unanswered
 * question leaves the field empty, and `SAJILI Kundi 2` still works.
 */
import { delegateVariables } from '../../../event/catalogue';
import type { Delegate } from '../../../event/delegates';
import type { EventData } from '../../../event/event-schema';
import type { EventPack } from '../../../event/event-pack';
import type { Language } from '../../../kernel/language';
import type { FollowUpQuestion, FollowUps } from '../follow-ups.redis';
import { say, type CommandDeps, type Reply } from '../command-types';

/** The options of a question with the number that picks each: 1-9, then 0 for a tenth, then 11 on. */
export function numbered<T>(items: readonly T[]): Array<{ number: string; item: T }> {
  return items.map((item, index) => ({ number: index === 9 ? '0' : String(index + 1), item }));
}

function options(event: EventData, question: FollowUpQuestion, lang: Language): Array<{ number: string; id: string; label: string }> {
  const list = question === 'cohort'
    ? event.cohorts.map((c) => ({ id: c.id, label: c.label[lang] }))
    : event.institutionTypes.map((t) => ({ id: t.id, label: t.label[lang] }));
  return numbered(list).map(({ number, item }) => ({ number, ...item }));
}

/** The next question a delegate registered by SMS should answer, or null when nothing is missing. */
export function nextQuestion(event: EventData, delegate: Pick<Delegate, 'cohort' | 'institutionType'>): FollowUpQuestion | null {
  if (!delegate.cohort && event.cohorts.length > 0) return 'cohort';
  if (!delegate.institutionType && event.institutionTypes.length > 0) return 'type';
  return null;
}

/** The numbered choices of `question` as SMS lines ("1 Kundi 1: ..."). */
export function choicesText(event: EventData, question: FollowUpQuestion, lang: Language): string {
  return options(event, question, lang).map((o) => `${o.number} ${o.label}`).join('\n');
}

/** Asks `question` (and opens it), or says the registration is complete. */
export async function ask(
  pack: EventPack, event: EventData, delegate: Delegate, lang: Language, question: FollowUpQuestion | null, followUps: FollowUps | undefined,
  firstKey?: string,
): Promise<Reply> {
  await followUps?.set(pack.id, delegate.phone, question);
  const vars = delegateVariables(event, delegate, lang);
  if (question === null) return { text: say(pack, lang, 'sms.follow_up_done', vars), purpose: 'reply' };
  const key = firstKey ?? (question === 'cohort' ? 'sms.ask_cohort' : 'sms.ask_type');
  return { text: say(pack, lang, key, { ...vars, choices: choicesText(event, question, lang) }), purpose: firstKey ? 'confirmation' : 'reply' };
}

/**
 * A reply that is only a number, from a delegate with an open question: files the choice and
 * asks the next question. Undefined when the text is no answer (the caller treats it as usual).
 */
export async function answerFollowUp(
  call: { pack: EventPack; phone: string; text: string; delegate: Delegate | null },
  deps: Pick<CommandDeps, 'agenda' | 'delegates' | 'followUps'>,
): Promise<Reply[] | undefined> {
  const digits = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(call.text)?.[1];
  if (digits === undefined || !call.delegate || !deps.followUps) return undefined;
  const question = await deps.followUps.get(call.pack.id, call.phone);
  if (!question) return undefined;
  const event = await deps.agenda.get(call.pack.id);
  const lang = call.delegate.language;
  const chosen = options(event, question, lang).find((o) => o.number === String(Number(digits)) || (o.number === '0' && digits === '10'));
  if (!chosen) return [{ text: say(call.pack, lang, question === 'cohort' ? 'sms.ask_cohort_again' : 'sms.ask_type_again', { choices: choicesText(event, question, lang) }), purpose: 'reply' }];
  const changes = question === 'cohort' ? { cohort: chosen.id } : { institutionType: chosen.id };
  const updated = (await deps.delegates.update(call.pack.id, call.phone, changes)) ?? { ...call.delegate, ...changes };
  return [await ask(call.pack, event, updated, lang, nextQuestion(event, updated), deps.followUps)];
}
