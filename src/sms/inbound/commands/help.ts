/** `MSAADA` / `HELP`: what the service does and its keywords. */
import { reply, say, type KeywordHandler } from '../command-types';

export const helpCommand: KeywordHandler = async (call) => [reply(say(call.pack, call.lang, 'sms.help'))];
