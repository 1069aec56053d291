/** A short question to the panel by USSD, held for moderation like one sent by SMS. */
import { sessionPhase } from '../../feedback/feedback';
import { cleanQuestion, QUESTION_MAX, QUESTION_MIN } from '../../questions/questions';
import { param, type HostAction } from './types';

export const askQuestion: HostAction = async (call, deps) => {
  const code = param(call, 'session');
  const text = cleanQuestion(param(call, 'question'));
  if (!deps.engage || text.length < QUESTION_MIN || text.length > QUESTION_MAX) return { result: 'error' };
  const event = await deps.agenda.get(call.pack.id);
  const session = event.sessions.find((s) => s.code === code);
  if (!session) return { result: 'error' };
  const now = deps.clock.now();
  if (sessionPhase(event, session, now) === 'over') return { result: 'closed' };
  const delegate = await deps.delegates.get(call.pack.id, call.phone);
  await deps.engage.questions.add(call.pack.id, { session: code, phone: call.phone, name: delegate?.name ?? '', text, lang: call.lang, channel: 'ussd', at: now.toISOString() });
  return { result: 'ok' };
};
