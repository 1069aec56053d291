/** `ANZA` / `START`: opts back in. */
import { say, type KeywordHandler } from '../command-types';

export const startCommand: KeywordHandler = async (call, deps) => {
  await deps.suppression.unsuppress(call.phone);
  return [{ text: say(call.pack, call.lang, 'sms.started'), purpose: 'optout_confirmation' }];
};
