/** `ACHA` / `STOP` (and `ONDOA` without a session code, see ./unremind): opts out of every SMS; one confirmation, nothing after it. */
import { say, type KeywordHandler } from '../command-types';

export const stopCommand: KeywordHandler = async (call, deps) => {
  const fresh = await deps.suppression.suppress(call.phone, 'keyword');
  if (!fresh) return [];
  return [{ text: say(call.pack, call.lang, 'sms.stopped'), purpose: 'optout_confirmation' }];
};
