/**
 * A bare digit: the answer to the survey question the sender is on, else to the latest rating
 * request sent to them (within the reply window). With neither, the sender is told that nothing
 * waits for a digit and how to rate a session; a digit outside 1-5 asks again.
 */
import type { EventPack } from '../../../event/event-pack';
import { surveyQuestions, surveyQuestionText } from '../../../feedback/survey';
import type { Language } from '../../../kernel/language';
import { reply, say, type CommandDeps, type Reply } from '../command-types';
import { recordRating } from './rate';

/** True for a message that is one digit (spaces and a trailing full stop allowed). */
export function isDigitReply(text: string): boolean {
  return /^\s*\d\s*\.?\s*$/.test(text);
}

export async function digitReply(call: { pack: EventPack; phone: string; lang: Language; text: string; messageId: string }, deps: CommandDeps): Promise<{ command: 'survey' | 'rate'; replies: Reply[] }> {
  const { pack, phone, lang } = call;
  const engage = deps.engage;
  if (!engage) return { command: 'rate', replies: [reply(say(pack, lang, 'sms.unknown'))] };
  const digit = Number(call.text.replace(/\D/g, ''));
  const inRange = digit >= 1 && digit <= 5;
  const position = await engage.feedback.surveyStep(pack.id, phone);
  const surveyReply = (step: number | 'done'): { command: 'survey'; replies: Reply[] } =>
    ({ command: 'survey', replies: [reply(step === 'done' ? say(pack, lang, 'sms.survey_done') : surveyQuestionText(pack, lang, step))] });
  // The same message handled again (a retry after a crash): its answer is in, say the same again.
  if (position && call.messageId !== '' && position.by === call.messageId) return surveyReply(position.step);
  if (position && position.step !== 'done') {
    if (!inRange) return { command: 'survey', replies: [reply(say(pack, lang, 'sms.rate_range'))] };
    await engage.feedback.surveyAnswer(pack.id, phone, position.step, digit);
    const next = position.step >= surveyQuestions(pack, lang).length ? 'done' : position.step + 1;
    await engage.feedback.setSurveyStep(pack.id, phone, { step: next, by: call.messageId });
    return surveyReply(next);
  }
  const code = await engage.feedback.pendingRequest(pack.id, phone);
  if (code === null) return { command: 'rate', replies: [reply(say(pack, lang, 'sms.rate_none'))] };
  if (!inRange) return { command: 'rate', replies: [reply(say(pack, lang, 'sms.rate_range'))] };
  const event = await deps.agenda.get(pack.id);
  const session = event.sessions.find((s) => s.code === code);
  if (!session) return { command: 'rate', replies: [reply(say(pack, lang, 'sms.rate_none'))] };
  return { command: 'rate', replies: await recordRating(deps, call, event, session, digit, '', 'sms') };
}
