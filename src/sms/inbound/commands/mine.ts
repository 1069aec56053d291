/** `ZANGU` / `MY`: the caller's registration and reminders. */
import { delegateVariables } from '../../../event/catalogue';
import { fitSegments } from '../../../kernel/text/sms-split';
import { reply, say, type KeywordHandler } from '../command-types';

export const mineCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone, delegate } = call;
  const codes = await deps.reminders.listForPhone(pack.id, phone);
  const event = await deps.agenda.get(pack.id);
  const reminders = codes
    .map((code) => event.sessions.find((s) => s.code === code))
    .filter((s) => s !== undefined)
    .map((s) => `${s.code} ${s.start} ${s.short[lang]}`)
    .join('; ');
  const none = say(pack, lang, 'sms.mine_no_reminders');
  if (!delegate) return [reply(fitSegments(say(pack, lang, 'sms.mine_unregistered', { reminders: reminders || none }), 2).text)];
  const vars = { ...delegateVariables(event, delegate, lang), reminders: reminders || none };
  return [reply(fitSegments(say(pack, lang, 'sms.mine', vars), 2).text)];
};
