/**
 * `SWALI S403 <swali>` / `ASK S403 <question>`: a question to the panel of a session, taken
 * until the session ends and held for moderation.
 */
import { sessionVariables } from '../../../event/catalogue';
import { sessionPhase } from '../../../feedback/feedback';
import { cleanQuestion, QUESTION_MAX, QUESTION_MIN } from '../../../questions/questions';
import { reply, say, type KeywordHandler } from '../command-types';
import { findSession } from './session';

export const askCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone } = call;
  const match = /^([A-Za-z]{0,3}[-\s]?\d{1,4})[\s,.:;-]+([\s\S]*)$/.exec(call.args.trim());
  const text = cleanQuestion(match?.[2] ?? '');
  if (!match || text.length < QUESTION_MIN) return [reply(say(pack, lang, 'sms.ask_usage'))];
  const event = await deps.agenda.get(pack.id);
  const session = findSession(event, match[1] ?? '');
  if (!session) return [reply(say(pack, lang, 'sms.session_unknown', { code: (match[1] ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '') }))];
  const vars = sessionVariables(event, session, lang);
  if (!deps.engage) return [reply(say(pack, lang, 'sms.unknown'))];
  if (sessionPhase(event, session, deps.clock.now()) === 'over') return [reply(say(pack, lang, 'sms.ask_closed', vars))];
  if (text.length > QUESTION_MAX) return [reply(say(pack, lang, 'sms.ask_too_long', { length: String(text.length), max: String(QUESTION_MAX) }))];
  await deps.engage.questions.add(pack.id, { session: session.code, phone, name: call.delegate?.name ?? '', text, lang, channel: 'sms', at: deps.clock.now().toISOString() }, call.messageId);
  return [reply(say(pack, lang, 'sms.ask_ok', vars))];
};
