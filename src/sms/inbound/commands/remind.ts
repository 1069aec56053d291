/** `KUMBUSHA S101` / `REMIND S101`: subscribes to a session's reminder; one that has begun is refused with the reason. */
import { sessionVariables } from '../../../event/catalogue';
import { sessionStart } from '../../../event/session-time';
import { reply, say, type KeywordHandler } from '../command-types';
import { findSession, sessionCodeOf } from './session';

export const remindCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone } = call;
  if (!sessionCodeOf(call.args)) return [reply(say(pack, lang, 'sms.remind_usage'))];
  const event = await deps.agenda.get(pack.id);
  const session = findSession(event, call.args);
  if (!session) return [reply(say(pack, lang, 'sms.session_unknown', { code: sessionCodeOf(call.args) }))];
  if (sessionStart(event, session).getTime() <= deps.clock.now().getTime()) return [reply(say(pack, lang, 'sms.remind_over', sessionVariables(event, session, lang)))];
  const added = await deps.reminders.subscribe(pack.id, phone, session.code);
  if (added) await deps.onSubscriptionChanged?.(pack.id, phone, session.code, true);
  return [reply(say(pack, lang, added ? 'sms.remind_ok' : 'sms.remind_exists', sessionVariables(event, session, lang)))];
};
