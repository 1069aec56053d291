/**
 * `ONDOA S101` / `REMOVE S101`: removes that one reminder, as USSD's "Ondoa kikumbusho" does.
 * Without a session code (`ONDOA`, `REMOVE ME`) the word keeps its old meaning: opt out of every SMS.
 */
import { sessionVariables } from '../../../event/catalogue';
import { reply, say, type KeywordHandler } from '../command-types';
import { findSession, sessionCodeOf } from './session';
import { stopCommand } from './stop';

/** A session code as delegates type one: letters then digits (`S101`, `s-101`) or digits alone. */
const LOOKS_LIKE_CODE = /^[A-Z]{0,3}\d{1,4}$/;

export const unremindCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone } = call;
  // The code may come after other words: `ONDOA kikumbusho S101`.
  const code = call.args.split(/\s+/).map(sessionCodeOf).find((word) => LOOKS_LIKE_CODE.test(word));
  if (!code) return stopCommand(call, deps);
  const event = await deps.agenda.get(pack.id);
  const session = findSession(event, code);
  if (!session) return [reply(say(pack, lang, 'sms.session_unknown', { code }))];
  const removed = await deps.reminders.unsubscribe(pack.id, phone, session.code);
  if (removed) await deps.onSubscriptionChanged?.(pack.id, phone, session.code, false);
  return [reply(say(pack, lang, removed ? 'sms.unremind_ok' : 'sms.unremind_missing', sessionVariables(event, session, lang)))];
};
