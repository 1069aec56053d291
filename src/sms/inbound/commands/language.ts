/** `LUGHA SW|EN` / `LANG SW|EN`: the language of every later message. */
import type { Language } from '../../../kernel/language';
import { reply, say, type KeywordHandler } from '../command-types';

const WORDS: Record<string, Language> = { SW: 'sw', KISWAHILI: 'sw', SWAHILI: 'sw', KISW: 'sw', EN: 'en', ENG: 'en', ENGLISH: 'en', KIINGEREZA: 'en' };

export const languageCommand: KeywordHandler = async (call, deps) => {
  const choice = WORDS[call.args.toUpperCase().replace(/[^A-Z]/g, '')];
  if (!choice) return [reply(say(call.pack, call.lang, 'sms.language_usage'))];
  // Kept per phone even before registering, so reminders and replies come in it.
  await deps.delegates.setLanguage(call.pack.id, call.phone, choice);
  return [reply(say(call.pack, choice, 'sms.language_set'))];
};
